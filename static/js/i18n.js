// Every string a person sees comes from this catalogue. English is complete here; another
// language is a file static/js/locales/<lang>.js exporting a (partial) catalogue of the same
// keys: it is picked up from the browser's languages (or ?lang=xx) with no code change, and
// any key it lacks falls back to English.
//
// A message is a string with {placeholders}, or an object of plural forms keyed by the
// Intl.PluralRules categories ("one", "other", ...) chosen by the `count` parameter.

export const en = {
  "app.name": "hackrooms",
  "app.tagline": "Live hackathon rooms for hybrid civil-security forums",
  "app.skip": "Skip to main content",
  "app.loading": "Loading…",
  "app.footer": "hackrooms: ideas, votes and timers shared live between the room and remote participants.",

  // Connection state
  "conn.label": "Connection",
  "conn.connecting": "Connecting…",
  "conn.live": "Live",
  "conn.offline": "Offline – reconnecting",
  "conn.stopped": "Disconnected",
  "conn.pending": { one: "{count} change waiting to be sent", other: "{count} changes waiting to be sent" },
  "conn.retryNow": "Reconnect now",
  "conn.announce.live": "Connected. You are live.",
  "conn.announce.offline": "Connection lost. Your changes are kept and will be sent when you are back online.",

  // Join
  "join.title": "Join a forum",
  "join.intro": "Enter the code shown on the screen in the room, or scan the QR code.",
  "join.code": "Join code",
  "join.codeHint": "Six letters or digits, for example K7PM2Q.",
  "join.continue": "Continue",
  "join.checking": "Checking the code…",
  "join.profileTitle": "About you",
  "join.profileIntro": "Others in the forum see your name, organization, sector and country.",
  "join.forum": "Forum: {title}",
  "join.name": "Your name",
  "join.organization": "Organization (optional)",
  "join.sector": "Sector",
  "join.country": "Country",
  "join.attendance": "How are you taking part?",
  "join.attendance.onsite": "On site, in the room",
  "join.attendance.remote": "Remotely",
  "join.choose": "Choose…",
  "join.consent": "I agree that people I meet in networking rounds may receive my contact details, if they agree too.",
  "join.consentHint": "Optional. You can take part fully without it.",
  "join.submit": "Join the forum",
  "join.joining": "Joining…",
  "join.otherCode": "Use another code",
  "join.required": "Please fill in: {fields}.",
  "join.welcomeBack": "Welcome back, {name}.",

  // Create a forum
  "create.title": "Run a forum",
  "create.intro": "Organizers: create a forum from a format (the pilot: a plenary, three parallel hackathons, speed networking and the evaluation) or with hackathon rooms only. You get the conductor link that runs the agenda, a facilitators' link, a join code for participants and a projector link.",
  "create.forumTitle": "Forum title",
  "create.topic": "Topic (optional)",
  "create.room": "Room {n}",
  "create.roomTitle": "Room name",
  "create.challenge": "Challenge for this room",
  "create.addRoom": "Add another room",
  "create.removeRoom": "Remove room {n}",
  "create.submit": "Create the forum",
  "create.creating": "Creating…",
  "create.doneTitle": "Your forum is ready",
  "create.doneIntro": "Keep the organizer's and the facilitators' links private: they give control of the forum.",
  "create.label": "Confidentiality label",
  "create.format": "Format",
  "create.formatRooms": "Hackathon rooms only (name them below)",
  "create.formatHint": "A format brings its whole agenda: sessions, rooms with their challenges, and prepared polls. You can change all of it in the conductor.",
  "create.formatSessions": "Agenda: {sessions}",
  "create.organizerLink": "Organizer's conductor (runs the agenda)",
  "create.openConductor": "Open the conductor",
  "create.facilitatorLink": "Facilitators' console (every room)",
  "create.openConsole": "Open the facilitator console",
  "create.projector": "Projector (the forum's big screen)",
  "create.joinCode": "Join code for participants",
  "create.joinLink": "Join link",
  "create.projectorLink": "Projector for {room}",
  "create.copy": "Copy",
  "create.copied": "Copied",
  "create.yours": "Forums created on this device",
  "create.another": "Create another forum",

  // Room picker
  "rooms.title": "Choose your room",
  "rooms.intro": "This forum has several hackathon rooms. You can change room later.",
  "rooms.enter": "Enter {room}",
  "rooms.switch": "Change room",
  "rooms.leave": "Leave this forum on this device",
  "rooms.leaveConfirm": "Leave this forum on this device? You would need to join again.",

  // Room
  "room.challenge": "Challenge",
  "room.noChallenge": "The facilitator has not written a challenge yet.",
  "room.phase": "Phase",
  "room.phaseOf": "{label} (step {n} of {total})",
  "room.youCan": "You can now: {list}",
  "room.nothingAllowed": "Listen and prepare: nothing to post in this phase.",
  "room.cap.ideas": "post ideas",
  "room.cap.comments": "comment",
  "room.cap.reactions": "react",
  "room.cap.votes": "vote",
  "room.you": "You: {name}",
  "room.people": "People",
  "room.online": "{onsite} on site, {remote} remote online",
  "room.announce.phase": "Phase changed to {label}.",

  // Timer
  "timer.title": "Timer",
  "timer.idle": "No timer running",
  "timer.running": "Running",
  "timer.paused": "Paused",
  "timer.expired": "Time is up",
  "timer.announce.started": "Timer started: {time} left.",
  "timer.announce.paused": "Timer paused at {time}.",
  "timer.announce.resumed": "Timer resumed: {time} left.",
  "timer.announce.stopped": "Timer stopped.",
  "timer.announce.lastMinute": "One minute left.",
  "timer.announce.expired": "Time is up.",
  "timer.announce.adjusted": "Timer changed: {time} left.",

  // Ideas
  "ideas.title": "Ideas",
  "ideas.newTitle": "Share an idea",
  "ideas.new": "Your idea",
  "ideas.newHint": "One idea per card. Others see it at once.",
  "ideas.post": "Post idea",
  "ideas.closed": "Posting ideas is not open in this phase.",
  "ideas.none": "No ideas yet.",
  "ideas.unclustered": "Not in a cluster",
  "ideas.by": "by {name}",
  "ideas.byYou": "by you",
  "ideas.unknownAuthor": "a participant",
  "ideas.facilitator": "the facilitator",
  "ideas.edited": "edited",
  "ideas.hiddenBadge": "Hidden by the facilitator",
  "ideas.pendingBadge": "Waiting to be sent",
  "ideas.edit": "Edit",
  "ideas.editLabel": "Edit the idea",
  "ideas.save": "Save",
  "ideas.cancel": "Cancel",
  "ideas.delete": "Delete",
  "ideas.deleteConfirm": "Delete this idea? This cannot be undone.",
  "ideas.hide": "Hide",
  "ideas.unhide": "Show again",
  "ideas.moveTo": "Cluster",
  "ideas.noCluster": "No cluster",
  "ideas.count": { one: "{count} idea", other: "{count} ideas" },
  "ideas.pending": "Waiting to be sent: {text}",

  // Comments
  "comments.title": { one: "{count} comment", other: "{count} comments" },
  "comments.add": "Your comment",
  "comments.post": "Comment",
  "comments.delete": "Delete comment",
  "comments.closed": "Comments are not open in this phase.",

  // Reactions
  "reactions.label": "Reactions",
  "reaction.+1": "Agree",
  "reaction.heart": "Like",
  "reaction.idea": "Inspiring",
  "reaction.question": "Question",
  "reaction.concern": "Concern",
  "reactions.toggle": "{label}: {count}",

  // Voting
  "vote.title": "Your votes",
  "vote.budget": "{left} of {budget} votes left",
  "vote.cap": "At most {cap} per idea",
  "vote.closed": "Voting is closed.",
  "vote.notNow": "Voting is not open in this phase.",
  "vote.hidden": "Votes stay hidden until the facilitator reveals them.",
  "vote.anonymous": "Anonymous vote",
  "vote.named": "Named vote: after the reveal everyone sees who voted for what.",
  "vote.cast": "Add a vote",
  "vote.castFor": "Add a vote for: {text}",
  "vote.retract": "Take a vote back",
  "vote.retractFor": "Take a vote back from: {text}",
  "vote.mine": { one: "Your vote: {count}", other: "Your votes: {count}" },
  "vote.total": { one: "{count} vote", other: "{count} votes" },
  "vote.castTotal": { one: "{count} vote cast", other: "{count} votes cast" },
  "vote.retractedBy": "A vote went back to your budget because the limits changed.",

  // Results
  "results.title": "Results",
  "results.none": "No votes yet.",
  "results.rank": "{rank}.",
  "results.clusters": "By cluster",
  "results.notRevealed": "The results are shown here once the facilitator reveals them.",
  "results.live": "Live results (visible to facilitators only until revealed)",

  // Clusters
  "clusters.title": "Clusters",
  "clusters.new": "New cluster name",
  "clusters.create": "Create cluster",
  "clusters.rename": "Rename",
  "clusters.renameLabel": "Name of cluster {title}",
  "clusters.delete": "Delete cluster",
  "clusters.deleteConfirm": "Delete the cluster \"{title}\"? Its ideas stay on the board.",
  "clusters.none": "No clusters yet.",

  // Facilitator console
  "fac.title": "Facilitator console",
  "fac.overview": "All rooms",
  "fac.col.room": "Room",
  "fac.col.phase": "Phase",
  "fac.col.timer": "Timer",
  "fac.col.onsite": "On site",
  "fac.col.remote": "Remote",
  "fac.col.ideas": "Ideas",
  "fac.col.votes": "Votes",
  "fac.open": "Control {room}",
  "fac.controlling": "Controlling",
  "fac.refreshed": "Updated {time}",
  "fac.links": "Links to share",
  "fac.joinCode": "Join code",
  "fac.joinLink": "Join link",
  "fac.projector": "Projector",
  "fac.noToken": "This console needs the facilitator link you got when the forum was created.",
  "fac.phases": "Phases",
  "fac.back": "Previous phase",
  "fac.next": "Next phase",
  "fac.setPhase": "Go to {label}",
  "fac.timer": "Timer",
  "fac.minutes": "Minutes",
  "fac.start": "Start",
  "fac.pause": "Pause",
  "fac.resume": "Resume",
  "fac.plus": "+1 min",
  "fac.minus": "−1 min",
  "fac.plusLabel": "Add one minute",
  "fac.minusLabel": "Remove one minute",
  "fac.stop": "Stop",
  "fac.voting": "Voting",
  "fac.budget": "Votes per person",
  "fac.capLabel": "Most votes per idea",
  "fac.anonymous": "Anonymous (voters are not shown)",
  "fac.apply": "Apply settings",
  "fac.openVoting": "Open voting",
  "fac.closeVoting": "Close voting",
  "fac.reveal": "Reveal results",
  "fac.votingState": "Voting is {open}; results are {revealed}.",
  "fac.open.yes": "open",
  "fac.open.no": "closed",
  "fac.revealed.yes": "revealed",
  "fac.revealed.no": "hidden",
  "fac.board": "Board and moderation",
  "fac.challenge": "Challenge",
  "fac.editChallenge": "Save challenge",

  // Projector
  "proj.title": "Projector",
  "proj.join": "Join at {host}",
  "proj.code": "Code",
  "proj.qr": "QR code to join the forum with code {code}",
  "proj.noToken": "This view needs the projector link you got when the forum was created.",
  "proj.rooms": "Rooms",
  "proj.welcome": "Welcome",
  "proj.plenaryTitle": "Questions and polls",
  "proj.plenaryComing": "The pinned question, the top questions and the open poll appear here.",

  // The forum: topic, label and agenda words shared by every screen
  "forum.label": "Confidentiality label",
  "forum.topic": "Topic: {topic}",
  "forum.next": "Next: {title} ({kind})",
  "forum.nextNone": "Nothing more is planned after this.",
  "label.chatham-house": "Chatham House Rule",
  "label.chatham-house.meaning": "Use what you hear, but do not reveal who said it or where they work.",
  "label.tlp-clear": "TLP:CLEAR",
  "label.tlp-clear.meaning": "No limit on disclosure: this may be shared with the world.",
  "label.tlp-green": "TLP:GREEN",
  "label.tlp-green.meaning": "Share within the community, not via public channels.",
  "label.tlp-amber": "TLP:AMBER",
  "label.tlp-amber.meaning": "Share only on a need-to-know basis within your organization and its clients.",
  "label.tlp-amber-strict": "TLP:AMBER+STRICT",
  "label.tlp-amber-strict.meaning": "Share only within your own organization.",
  "label.tlp-red": "TLP:RED",
  "label.tlp-red.meaning": "For the people present only: no further disclosure.",
  "kind.plenary": "Plenary",
  "kind.hackathon": "Hackathon",
  "kind.networking": "Networking",
  "kind.evaluation": "Evaluation",
  "kind.break": "Break",
  "phase.brief": "Brief",
  "phase.ideate": "Ideate",
  "phase.cluster": "Cluster",
  "phase.vote": "Vote",
  "phase.refine": "Refine",
  "phase.results": "Results",

  // Participant: the screens of the agenda
  "part.welcome": "Welcome",
  "part.notStarted": "The forum starts soon",
  "part.notStartedHint": "Keep this page open: it moves on by itself when the organizer starts the forum.",
  "part.ended": "The forum has ended",
  "part.endedHint": "Thank you for taking part.",
  "part.plenaryIntro": "Everyone is together in the plenary. Follow the speakers in the room or on the stream.",
  "part.plenaryTitle": "Questions and polls",
  "part.plenaryComing": "Audience questions and polls appear here when the organizer opens them.",
  "part.break": "Break. The forum goes on after it, on this page.",
  "part.breakUntil": "Break: back at {time}. This page moves on by itself.",
  "part.coming.networking": "Speed networking: you will meet people from other sectors and countries, a few minutes each. Your pairings appear here.",
  "part.coming.evaluation": "Evaluation: a short questionnaire about the forum will appear here.",
  "part.coming.plenary": "The plenary.",
  "part.coming.hackathon": "The hackathon rooms.",
  "part.announce.now": "The forum moved on: {title} ({kind}).",
  "part.announce.ended": "The forum has ended.",

  // Conductor
  "cond.title": "Conductor",
  "cond.noToken": "The conductor needs the organizer's link you got when the forum was created.",
  "cond.noHall": "This forum was made before agendas existed: run its rooms from the facilitator console.",
  "cond.now": "Now",
  "cond.next": "Next",
  "cond.nextNone": "Nothing after this: the next step ends the forum.",
  "cond.notStarted": "The forum has not started.",
  "cond.ended": "The forum has ended.",
  "cond.advance": "Start next: {title}",
  "cond.startForum": "Start the forum: {title}",
  "cond.endForum": "End the forum",
  "cond.endConfirm": "End the forum now? Every screen shows that it has ended.",
  "cond.startedAt": "started {time}",
  "cond.plannedAt": "planned {time}",
  "cond.left": "{time} left",
  "cond.over": "{time} over time",
  "cond.late": { one: "Running {count} min late", other: "Running {count} min late" },
  "cond.ahead": { one: "{count} min ahead of plan", other: "{count} min ahead of plan" },
  "cond.onTime": "On time",
  "cond.noPlan": "No planned times: set a start time in the agenda to see if the forum runs late.",
  "cond.plenary": "Plenary: questions and polls",
  "cond.plenaryComing": "Audience questions (moderation, pinning) and polls are run from here.",
  "cond.agenda": "Agenda",
  "cond.nowBadge": "Now",
  "cond.noTime": "no time set",
  "cond.planned": "Planned {times} ({minutes} min)",
  "cond.actual": "Actual {times}",
  "cond.rooms": "Rooms: {list}",
  "cond.go": "Go now",
  "cond.goLabel": "Go now to {title}",
  "cond.upLabel": "Move {title} up",
  "cond.downLabel": "Move {title} down",
  "cond.edit": "Edit",
  "cond.editLabel": "Edit {title}",
  "cond.remove": "Remove",
  "cond.removeLabel": "Remove {title}",
  "cond.removeConfirm": "Remove \"{title}\" from the agenda?",
  "cond.sessionTitle": "Title",
  "cond.kind": "Kind",
  "cond.start": "Start time",
  "cond.minutes": "Minutes",
  "cond.save": "Save",
  "cond.addSession": "Add a session",
  "cond.add": "Add to the agenda",
  "cond.firstRoom": "First room of this hackathon",
  "cond.roomTitle": "New room",
  "cond.challenge": "Its challenge",
  "cond.addRoom": "Add the room",
  "cond.roomsTitle": "Rooms",
  "cond.roomsOf": "Rooms: {title}",
  "cond.roomsNow": "Live now. Open a room to run its phases and timer.",
  "cond.roomsLater": "Coming later in the agenda.",
  "cond.noRooms": "No hackathon in the agenda.",
  "cond.openRoom": "Open the console of {room}",
  "cond.mixComing": "Each room's mix of sectors, countries and on site / remote appears here with room assignment.",
  "cond.forum": "Forum, topic and label",
  "cond.forumTitle": "Forum title",
  "cond.topic": "Topic",
  "cond.noTopic": "No topic yet.",
  "cond.label": "Confidentiality label",
  "cond.setLabel": "Change the label",
  "cond.links": "Links",
  "cond.linkLabel": "Who is it for",
  "cond.linkRoom": "Room",
  "cond.linkForAll": "every room",
  "cond.linkForRoom": "room {room}",
  "cond.issue": "Create a facilitator link",
  "cond.active": "active",
  "cond.revokedAt": "revoked {time}",
  "cond.revoke": "Revoke",
  "cond.revokeLabel": "Revoke the link of {label}",
  "cond.revokeConfirm": "Revoke the link of {label}? Whoever holds it loses access at once.",
  "cond.copyLabel": "Copy the link of {label}",
  "cond.copyProjector": "Copy the projector link",
  "cond.openProjector": "Open the projector",
  "cond.announce.now": "Now: {title}.",
  "cond.announce.ended": "The forum has ended.",

  // Errors: codes of the server (websocket and HTTP API)
  "error.title": "Something went wrong",
  "error.detail": "Details: {message}",
  "error.dismiss": "Dismiss",
  "error.unknown_command": "This action is not available on this server.",
  "error.invalid_args": "Some of what you entered cannot be accepted.",
  "error.forbidden": "You are not allowed to do this.",
  "error.phase_closed": "The current phase does not allow this. Wait for the facilitator to move on.",
  "error.not_found": "This could not be found. It may have been deleted, or the code may be wrong.",
  "error.voting_closed": "Voting is closed right now.",
  "error.budget_exceeded": "You have used all your votes. Take one back to vote for something else.",
  "error.cap_exceeded": "This idea already has the most votes you may give to one idea.",
  "error.no_vote": "You have no vote on this idea to take back.",
  "error.invalid_state": "This cannot be done right now.",
  "error.bad_json": "The app sent something the server could not read. Please reload the page.",
  "error.bad_message": "The app sent something the server could not read. Please reload the page.",
  "error.bad_request": "The app sent something the server could not read. Please reload the page.",
  "error.too_large": "This is too long to send.",
  "error.unavailable": "The server cannot save this right now. It will be tried again.",
  "error.internal": "Something went wrong on the server. Please try again.",
  "error.session_closed": "The forum's current session does not allow this.",
  "error.unauthorized": "This link or sign-in is no longer valid.",
  "error.network": "The server cannot be reached. Check your connection and try again.",
  "error.http": "The server answered with an error.",
  "error.close.4400": "The connection was refused. Please reload the page.",
  "error.close.4401": "Your access is no longer valid. Please join again.",
  "error.close.4403": "This link is for another forum.",
  "error.close.4404": "This room does not exist (any more).",

  // rooms: assignment (who is in which room: the participant's picker, the conductor's mix)
  "rooms.pickIntro": "Choose the room you want to work in. Each room shows how many people are in it and how many it holds.",
  "rooms.count": "{count} of {capacity} places taken",
  "rooms.countFull": "Full: {count} of {capacity} places taken",
  "rooms.countOpen": { one: "{count} person (no limit)", other: "{count} people (no limit)" },
  "rooms.yours": "your room",
  "rooms.back": "Back to {room}",
  "rooms.joining": "Joining {room}…",
  "rooms.notice.picked": "You are in {room}.",
  "rooms.notice.moved": "The organizer moved you to {room}.",
  "rooms.notice.placed": "The organizer placed you in {room}.",
  "rooms.notice.removed": "You are no longer in {room}. Choose a room.",
  "error.room_full": "This room is full. Choose another room.",
  "mix.title": "Who is in which room",
  "mix.session": "Hackathon session",
  "mix.now": "The session the forum is in now.",
  "mix.later": "A session still to come: you can place people ahead.",
  "mix.online": { one: "{count} person online of {members} in the forum", other: "{count} people online of {members} in the forum" },
  "mix.balance": "Balance rooms",
  "mix.balancing": "Balancing…",
  "mix.keep": "Keep the rooms people chose or were moved to",
  "mix.attendance": "On site {onsite}, remote {remote}",
  "mix.attendance.onsite": "on site",
  "mix.attendance.remote": "remote",
  "mix.sectors": "Sectors: {list}",
  "mix.countries": "Countries: {list}",
  "mix.none": "nobody yet",
  "mix.unassigned": { one: "{count} person without a room", other: "{count} people without a room" },
  "mix.how.pick": "chose it",
  "mix.how.move": "moved here",
  "mix.how.balance": "balanced",
  "mix.moveLabel": "Room of {name}",
  "mix.choose": "Put in a room…",
  "mix.moveTo": "Move to {room}",
  "mix.inRoom": "In {room}",
};

const ENGLISH = "en";
let active = en;
let lang = ENGLISH;

/** Load the best catalogue for this browser; English stays the fallback for every key. */
export async function setupI18n() {
  const wanted = new URLSearchParams(location.search).get("lang");
  const candidates = [wanted, ...(navigator.languages || [navigator.language])]
    .filter(Boolean).map((l) => l.toLowerCase().split("-")[0]);
  for (const code of candidates) {
    if (code === ENGLISH) break;
    try {
      const mod = await import(`./locales/${code}.js`);
      active = { ...en, ...mod.default };
      lang = code;
      break;
    } catch {
      // no catalogue for this language: try the next one
    }
  }
  document.documentElement.lang = lang;
}

/** The message for `key` with {placeholders} filled in from `params`. */
export function t(key, params = {}) {
  let message = active[key] ?? en[key];
  if (message === undefined) {
    console.warn("i18n: missing key", key);
    return key;
  }
  if (typeof message === "object") {
    const form = new Intl.PluralRules(lang).select(params.count ?? 0);
    message = message[form] ?? message.other;
  }
  return message.replace(/\{(\w+)\}/g, (_, name) =>
    params[name] === undefined ? `{${name}}` : String(params[name]));
}

/** Whether the catalogue has a message for `key` (used for optional keys such as error codes). */
export function has(key) {
  return key in active || key in en;
}

/** Fill every element with data-i18n="key" (static text in the HTML pages). */
export function translatePage(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-label]")) {
    el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  }
  const title = document.querySelector("title[data-i18n-title]");
  if (title) document.title = `${t(title.dataset.i18nTitle)} · ${t("app.name")}`;
}
