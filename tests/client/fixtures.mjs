// A room's snapshot as docs/protocol.md shows it (seq 16, in the Vote phase), for the client's unit tests.

export const ANN = "pHvl1ptx1e5hI";
export const BOB = "pCbtvixUgXXiO";
export const EPOCH = "efm44NFOgxycn";

export function snapshot() {
  return {
    room: { id: "r7lAqj2qJyyDN", title: "Room A", challenge: "How do we warn people?" },
    seq: 16,
    phases: [
      { id: "brief", label: "Brief", allows: [] },
      { id: "ideate", label: "Ideate", allows: ["ideas", "comments", "reactions"] },
      { id: "vote", label: "Vote", allows: ["reactions", "votes"] },
    ],
    phase: "vote",
    board: {
      ideas: [{
        id: "i5", author: ANN, text: "Cell broadcast in all local languages", created_at: 1, edited_at: 2,
        cluster: "k10", hidden: false, comments: [{ id: "c7", author: BOB, text: "Which languages?", at: 3 }],
        reactions: { "+1": [BOB] },
      }],
      clusters: [{ id: "k10", title: "Alerts" }],
    },
    voting: { budget: 5, cap: 3, anonymous: true, open: true, revealed: false, cast: 2, mine: ["i5"] },
    timer: { status: "idle", duration_ms: 0, ends_at: 0, remaining_ms: 0 },
    members: [{ id: ANN, name: "Ann" }, { id: BOB, name: "Bob" }],
  };
}

/** The event message of seq `seq`. */
export function event(seq, name, data, actor = ANN) {
  return { type: "event", epoch: EPOCH, seq, at: 1000 + seq, name, actor, data };
}
