// Where the participant meets the questionnaire (data-slot="evaluation"): in the evaluation
// session, the form while it is open (before: "coming", after closing: thanks); and, whenever
// the organizer sends it to this screen (evaluation.sent to remote people or to everyone), a dialog
// with the form on top of whatever the page shows, a hackathon room included, until closed.

import { fill, h } from "./dom.js";
import { t } from "./i18n.js";
import { follow } from "./plenary_common.js";
import { evaluationOf, sentToMe } from "./evaluation.js";
import { evaluationForm } from "./evaluation_form.js";

/** The evaluation session's panel: the form once opened. */
export function evaluationScreen(hall, errors) {
  const root = h("div", { "data-slot": "evaluation", "data-testid": "evaluation" });
  let shown = null;
  follow(hall, root, (s) => {
    const status = evaluationOf(s).status;
    const want = status === "draft" ? "coming" : "form";
    if (want === shown) return;
    shown = want;
    fill(root, want === "coming"
      ? h("p", { class: "card lead", "data-testid": "eval-coming" }, t("part.coming.evaluation"))
      : evaluationForm(hall, errors).el);
  });
  return root;
}

/** Show the questionnaire in a dialog when the organizer sends it to this person's screen. */
export function watchEvaluationSends(hall, errors, attendance) {
  let dialog = null;
  hall.addEventListener("event", (e) => {
    if (e.detail.name !== "evaluation.sent" || !sentToMe(e.detail.data, attendance())) return;
    if (!hall.state || evaluationOf(hall.state).status !== "open") return;
    if (document.querySelector("[data-slot=evaluation] [data-testid=eval-form]")) return;  // on the page already
    if (dialog?.isConnected) return;
    const closeButton = h("button", { type: "button", class: "btn", "data-testid": "eval-dialog-close",
      onclick: () => { dialog.close(); dialog.remove(); } }, t("eval.dialogClose"));
    dialog = h("dialog", { class: "eval-dialog", "data-testid": "eval-dialog", "aria-labelledby": "eval-h" },
      evaluationForm(hall, errors).el, closeButton);
    document.body.append(dialog);
    dialog.showModal();
  });
}
