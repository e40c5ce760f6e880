// Every string a person sees comes from this catalogue. English is complete here; another
// language is a file static/js/locales/<lang>.js exporting (as default) a catalogue of the same
// keys. Its code goes into SHIPPED below, and the language picker offers it; any key it lacks
// falls back to English. Which language a reader gets: ?lang=xx, else the one they picked on
// this device (localStorage), else the first of the browser's languages we ship, else English.
// Each person chooses their own: one room can be read in several languages at once.
//
// A message is a string with {placeholders}, or an object of plural forms keyed by the
// Intl.PluralRules categories of the language ("one", "few", "many", "other", ...) chosen by
// the `count` parameter. Numbers in parameters are formatted for the reader (Intl.NumberFormat);
// dates, times and lists go through formatTime, formatDateTime, formatRelative and formatList.
//
// ?lang=en-XA (or qps) is a pseudo-locale made from English at load time: accented, about a
// third longer and bracketed, so that untranslated or clipped text shows in overflow tests.

export const en = {
  // plenary: questions and polls
  "plen.q.title": "Questions",
  "plen.q.ask": "Your question",
  "plen.q.askHint": "Up to 300 characters. Others can upvote it.",
  "plen.q.anon": "Ask anonymously",
  "plen.q.anonHint": "Then nobody sees who asked, not even the organizer. Only you see that the question is yours.",
  "plen.q.send": "Send the question",
  "plen.q.moderatedNote": "The organizer approves questions before others see them: yours waits for approval first.",
  "plen.q.sort": "Sort questions",
  "plen.q.sort.votes": "Most upvoted",
  "plen.q.sort.newest": "Newest",
  "plen.q.none": "No questions yet.",
  "plen.q.count": { one: "{count} question", other: "{count} questions" },
  "plen.q.you": "You asked this (with your name).",
  "plen.q.youAnon": "You asked this anonymously: nobody else sees who asked.",
  "plen.q.anonymous": "Anonymous",
  "plen.q.by": "Asked by {name}",
  "plen.q.pinned": "Pinned",
  "plen.q.pending": "Waiting for approval",
  "plen.q.hidden": "Hidden by the organizer",
  "plen.q.answered": "Answered",
  "plen.q.votes": { one: "{count} upvote", other: "{count} upvotes" },
  "plen.q.votesWithYours": { one: "{count} upvote (yours)", other: "{count} upvotes, yours included" },
  "plen.q.upvote": "Upvote",
  "plen.q.unvote": "Take back my upvote",
  "plen.q.withdraw": "Withdraw",
  "plen.q.withdrawConfirm": "Withdraw your question? It disappears for everyone.",
  "plen.p.title": "Poll",
  "plen.p.titlePlural": "Polls",
  "plen.p.open": "Open: answer now",
  "plen.p.closed": "Closed",
  "plen.p.hint.single": "Choose one option.",
  "plen.p.hint.multiple": "Choose up to {max} options.",
  "plen.p.hint.rating": "Rate from 1 (lowest) to 5 (highest).",
  "plen.p.hint.wordcloud": { one: "Give one word.", other: "Give up to {count} words." },
  "plen.p.hint.text": "Answer in your own words.",
  "plen.p.hint.ranking": "Put every option in order, the most important first.",
  "plen.p.send": "Send my answer",
  "plen.p.change": "Change my answer",
  "plen.p.clear": "Clear my answer",
  "plen.p.mine": "Your answer: {answer}",
  "plen.p.notYet": "You have not answered yet.",
  "plen.p.chooseOne": "Choose an option first.",
  "plen.p.chooseRating": "Choose a rating first.",
  "plen.p.giveWord": "Type a word first.",
  "plen.p.sameWord": "The same word twice: give different words.",
  "plen.p.giveText": "Type your answer first.",
  "plen.p.word": "Your word",
  "plen.p.wordN": "Word {n}",
  "plen.p.yourText": "Your answer",
  "plen.p.ratingOf": "{n} of 5",
  "plen.p.rankHint": "Move the options with the up and down buttons; the first is your first choice.",
  "plen.p.moveUp": "Move {option} up",
  "plen.p.moveDown": "Move {option} down",
  "plen.p.movedTo": "{option}: now number {n} of {total}.",
  "plen.p.afterClose": { one: "Results after the poll closes. {count} answer so far.", other: "Results after the poll closes. {count} answers so far." },
  "plen.p.answers": { one: "{count} answer", other: "{count} answers" },
  "plen.p.count": { one: "{count} person ({share}%)", other: "{count} people ({share}%)" },
  "plen.p.average": "Average: {average} of 5",
  "plen.p.noAverage": "No rating yet.",
  "plen.p.points": { one: "{count} point", other: "{count} points" },
  "plen.p.pointsRank": { one: "{count} point, average place {rank}", other: "{count} points, average place {rank}" },
  "plen.p.words": "Words given, the most given largest",
  "plen.p.wordCount": { one: "(given once)", other: "(given {count} times)" },
  "plen.p.distinct": { one: "{count} different word", other: "{count} different words" },
  "plen.p.noTexts": "No answers yet.",
  "plen.kind.single": "One choice",
  "plen.kind.multiple": "Several choices",
  "plen.kind.rating": "Rating 1 to 5",
  "plen.kind.wordcloud": "Word cloud",
  "plen.kind.text": "Open text",
  "plen.kind.ranking": "Ranking",
  "plen.announce.opened": "A poll is open: {question}",
  "plen.announce.closed": "The poll closed: {question}",
  "plen.announce.approved": "Your question was approved: everyone sees it now.",
  "plen.c.focus": "Questions of: {title}",
  "plen.c.noPlenary": "No plenary in the agenda.",
  "plen.c.moderate": "Pre-moderation",
  "plen.c.moderateHint": "New questions wait for your approval before anyone else sees them.",
  "plen.c.pendingCount": { one: "{count} waiting for approval", other: "{count} waiting for approval" },
  "plen.c.approve": "Approve",
  "plen.c.hide": "Hide",
  "plen.c.unhide": "Show again",
  "plen.c.pin": "Pin",
  "plen.c.unpin": "Unpin",
  "plen.c.answer": "Mark answered",
  "plen.c.unanswer": "Mark not answered",
  "plen.c.closedPolls": "Closed polls",
  "plen.c.prepare": "Prepare a poll",
  "plen.c.draft": "Draft",
  "plen.c.edit": "Edit",
  "plen.c.open": "Open the poll",
  "plen.c.openNow": "Open now",
  "plen.c.close": "Close the poll",
  "plen.c.remove": "Remove",
  "plen.c.removeConfirm": "Remove the draft poll “{question}”?",
  "plen.c.kind": "Kind of poll",
  "plen.c.session": "Session",
  "plen.c.noSession": "Any session",
  "plen.c.question": "Poll question",
  "plen.c.options": "Options",
  "plen.c.optionsHint": "One per line, 2 to 12.",
  "plen.c.needOptions": "Give at least two options, one per line.",
  "plen.c.maxChoices": "At most how many choices (empty: any)",
  "plen.c.maxWords": "How many words each (1 to 5)",
  "plen.c.reveal": "Show the results",
  "plen.c.revealLive": "Results live",
  "plen.c.revealOnClose": "Results when the poll closes",
  "plen.c.save": "Save the draft",
  "plen.c.create": "Add the draft",
  "plen.s.top": "Top questions",
  "plen.s.none": "No questions yet: ask yours on your phone.",

  "app.name": "hackrooms",
  "app.tagline": "Live hackathon rooms for hybrid civil-security forums",
  "app.skip": "Skip to main content",
  "app.loading": "Loading…",
  "app.language": "Language",
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
  "error.rate_limited": "Too much at once: wait a moment, then try again.",
  "error.timeout": "The request took too long to arrive. Check your connection and try again.",
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

  // networking: the join form's "what I work on" and contact details, the participant's rounds
  // and connections, the conductor's card, the projector's table plan
  "net.join.about": "What I work on (optional)",
  "net.join.aboutHint": "One line that the people you meet in networking rounds see, for example “flood warnings for coastal towns”.",
  "net.join.contactTitle": "Contact details for staying in touch (optional)",
  "net.join.contactWho": "Who sees them: only a person you met in a networking round, and only if you both chose to stay in touch. The organizers never see them. Each detail is shared only if you tick its box.",
  "net.join.email": "Email (optional)",
  "net.join.phone": "Phone (optional)",
  "net.join.link": "Profile link (optional)",
  "net.join.share.email": "Share my email with people I choose to stay in touch with",
  "net.join.share.phone": "Share my phone number with people I choose to stay in touch with",
  "net.join.share.link": "Share my profile link with people I choose to stay in touch with",
  "net.join.unconsented": "You filled in “{field}” but did not tick its box: tick it to share it, or clear the field.",
  "net.intro": "Short meetings with people from other sectors and countries. Your partners and where to meet appear here.",
  "net.title": "Speed networking",
  "net.round": "Round {n}",
  "net.roundOf": "Round {n} of {total}",
  "net.meetNow": "You meet now",
  "net.meetTwo": "Your partner for this round:",
  "net.meetThree": "You are three in this round:",
  "net.goTo": "Go to",
  "net.table": "Table {table}",
  "net.callOf": "Call {table}",
  "net.mixedAt": "Table {table}, with a call",
  "net.joinCall": "Join the call (opens in a new tab)",
  "net.about": "Works on: {about}",
  "net.timeLeft": "{time} left",
  "net.timeUp": "Time is up",
  "net.waitTitle": "Waiting for a round",
  "net.wait.first": "The first round starts soon. Keep this page open: your partner appears here.",
  "net.wait.next": "This round is over. The next one starts soon.",
  "net.wait.late": "A round is on without you: you will be paired in the next round.",
  "net.wait.done": "All rounds are over. You can still ask to stay in touch with the people you met.",
  "net.wait.out": "You are sitting the rounds out. Untick the box below to take part again.",
  "net.touch.ask": "Stay in touch",
  "net.touch.withdraw": "Take back my request",
  "net.touch.asked": "You asked. Only you know, until they ask too.",
  "net.touch.connected": "Connected: you both asked",
  "net.metTitle": "People you met",
  "net.metHint": "Ask to stay in touch at any time. Nobody is told of a request unless it is mutual.",
  "net.optTitle": "Taking part",
  "net.optOut": "Sit out the next rounds",
  "net.optHint": "You will not be paired until you untick this.",
  "net.conn.title": "My connections",
  "net.conn.hint": "People who also chose to stay in touch with you, with the details they chose to share. Nobody else sees them.",
  "net.conn.none": "No connections yet.",
  "net.conn.email": "Email",
  "net.conn.phone": "Phone",
  "net.conn.link": "Profile",
  "net.conn.nothingShared": "This person shared no contact details.",
  "net.conn.download": "Download my connections (CSV)",
  "net.conn.failed": "Your connections could not be loaded. Try again in a moment.",
  "net.announce.started": "Round {n} started: see whom you meet.",
  "net.announce.ended": "The networking round ended.",
  "net.announce.lastMinute": "One minute left in this round.",
  "net.announce.connected": "You have a new connection.",
  "net.c.title": "Speed networking",
  "net.c.none": "No round yet ({total} planned).",
  "net.c.running": "Round {n} of {total} is on.",
  "net.c.ended": "Round {n} of {total} is over.",
  "net.c.online": { one: "{count} person online", other: "{count} people online" },
  "net.c.start": "Start round {n}",
  "net.c.startExtra": "Start round {n} (beyond the plan)",
  "net.c.extend": "+1 min",
  "net.c.end": "End round now",
  "net.c.endConfirm": "End this round now for everyone?",
  "net.c.repair": "Re-pair no-shows",
  "net.c.repairHint": "After the grace time: people whose partner is not online are paired again.",
  "net.c.quality": "This round's figures",
  "net.c.noFigures": "Figures appear when a round starts.",
  "net.c.groups": "Groups",
  "net.c.absent": "(a no-show was re-paired)",
  "net.c.waiting": { one: "Waiting: {count} person ({names}).", other: "Waiting: {count} people ({names})." },
  "net.c.nobody": "Nobody is waiting.",
  "net.c.ready": { one: "{count} person online ready for the next round.", other: "{count} people online ready for the next round." },
  "net.c.optedOut": { one: "Sitting out: {names}.", other: "Sitting out ({count}): {names}." },
  "net.c.connections": { one: "{count} connection made", other: "{count} connections made" },
  "net.c.crossSector": "{count} across sectors",
  "net.c.crossCountry": "{count} across countries",
  "net.c.requests": { one: "{count} request", other: "{count} requests" },
  "net.q.sector": "Across sectors",
  "net.q.sectorValue": "{count} of {groups} groups ({share}%); {ofBound}% of the most possible ({bound})",
  "net.q.country": "Across countries",
  "net.q.countryValue": "{count} of {groups} groups ({share}%)",
  "net.q.repeats": "Pairs who had met before",
  "net.q.organization": "Pairs of one organization",
  "net.q.allHeld": "Every rule held: no repeat, no pair of one organization, no second triad, on site and remote apart.",
  "net.q.relaxed": "Relaxed because the people present allowed no better: {list}.",
  "net.relax.repeat": "some people meet again",
  "net.relax.organization": "some pairs share an organization",
  "net.relax.triad": "someone is in a group of three again",
  "net.relax.attendance": "an on-site person meets a remote one",
  "net.cfg.title": "Settings of the rounds",
  "net.cfg.rounds": "Rounds",
  "net.cfg.minutes": "Minutes each",
  "net.cfg.grace": "Grace (s)",
  "net.cfg.template": "Call link of remote groups",
  "net.cfg.templateHint": "With {table}, and optionally {forum} and {round}, e.g. https://meet.example.org/{forum}-{round}-{table}",
  "net.cfg.mixed": "Let on-site and remote people meet (a laptop at the table)",
  "net.cfg.mixedHint": "Off by default: on-site people meet at tables, remote people on calls.",
  "net.cfg.save": "Save the settings",
  "net.s.title": "Speed networking",
  "net.s.plan": "Table plan",
  "net.s.soon": "Speed networking",
  "net.s.before": "The first round starts soon. Your partner appears on your phone.",
  "net.s.find": "Find your table:",
  "net.s.between": "Next round soon.",
  "net.s.done": "All rounds are over. Thank you!",
  "net.s.calls": "Taking part remotely? Your call link is on your screen.",

  // privacy
  "privacy.title": "Your data",
  "privacy.intro": "Take a copy of everything this forum holds about you, or erase your personal data.",
  "privacy.download": "Download my data",
  "privacy.erase": "Erase my data",
  "privacy.eraseGoes": "What goes, at once and for good: your name, organization, \"what I work on\", consents and contact details, everywhere the forum keeps them.",
  "privacy.eraseStays": "What stays: your ideas, comments, votes, questions, poll answers and connections, shown as \"a participant\". Your sector and country stay only where enough others share them not to point at you.",
  "privacy.eraseFinal": "This cannot be undone. This device leaves the forum; to take part again, join anew.",
  "privacy.eraseYes": "Yes, erase my data",
  "privacy.eraseNo": "Cancel",
  "privacy.erased": "Your personal data was erased. Thank you for taking part.",
  "error.erased": "Your personal data was erased from this forum.",
  "error.pdf_unavailable": "The server cannot make a PDF now. Open the brief and print it from the browser instead.",
  // outcomes
  "room.cap.outcomes": "write recommendations and action items",
  "out.title": "Recommendations and action items",
  "out.intro": "Turn the top-voted ideas or a cluster into recommendations: what should be done, by whom, by when. Everyone in the room edits them together.",
  "out.closed": "Recommendations are written in the Refine phase.",
  "out.fromTop": "From the top-voted ideas",
  "out.fromCluster": "From this cluster",
  "out.pickCluster": "Cluster to start from",
  "out.blank": "Blank recommendation",
  "out.untitled": "New recommendation",
  "out.none": "No recommendations yet.",
  "out.f.title": "Recommendation",
  "out.f.rationale": "Why (rationale)",
  "out.f.action": "Proposed action",
  "out.f.owner": "Who should act (organization, unit)",
  "out.f.due": "By when",
  "out.sources": "Based on",
  "out.cluster": "Cluster",
  "out.linkIdea": "Add an idea it rests on…",
  "out.unlink": "Remove this source",
  "out.votes": { one: "{count} vote", other: "{count} votes" },
  "out.votesHidden": "Votes are shown once the facilitator reveals them.",
  "out.editedBy": "Last edited by {name}",
  "out.madeBy": "Made by {name}",
  "out.byStaff": "a facilitator",
  "out.byFollowup": "the owner (follow-up link)",
  "out.delete": "Delete",
  "out.deleteConfirm": "Delete this recommendation? Its action items stay.",
  "out.actionsTitle": "Action items",
  "out.noActions": "No action items yet.",
  "out.a.title": "Action item",
  "out.a.owner": "Owner (name, organization)",
  "out.a.member": "Owner in this room",
  "out.a.noMember": "Nobody in this room",
  "out.a.due": "Due",
  "out.a.under": "Under recommendation",
  "out.a.noRec": "None",
  "out.a.add": "Add the action item",
  "out.a.status": "Status",
  "out.a.note": "Note (optional)",
  "out.a.update": "Update",
  "out.a.history": "History",
  "out.a.deleteConfirm": "Delete this action item and its history?",
  "out.a.ownedBy": "owner: {owner}",
  "out.a.dueOn": "due {due}",
  "out.a.underRec": "for “{title}”",
  "out.s.open": "Open",
  "out.s.in_progress": "In progress",
  "out.s.done": "Done",
  "out.s.dropped": "Dropped",
  "act.title": "Action items",
  "act.heading": "Action items of the forum",
  "act.room": "Room",
  "act.allRooms": "All rooms",
  "act.overdue": "Overdue",
  "act.none": "Nothing here.",
  "act.link": "Follow-up link for the owner",
  "act.copy": "Copy",
  "act.copied": "Link copied.",
  "act.last": "Last change: {when}",
  "act.noToken": "Open this page from the conductor: it needs the organizer's link.",
  "fu.title": "Follow-up",
  "fu.intro": "You own this action item from {forum}, room “{room}”. Tell the organizers how it is going.",
  "fu.recommendation": "Recommendation",
  "fu.status": "New status",
  "fu.note": "Note (what happened, what is next)",
  "fu.save": "Save",
  "fu.saved": "Saved. Thank you!",
  "fu.history": "History",
  "fu.bad": "This follow-up link is not valid.",
  "fu.gone": "This action item no longer exists.",
  // evaluation
  "eval.title": "Evaluation questionnaire",
  "eval.intro": "Tell us how the forum worked for you. Each answer is saved as you give it; you can change it until the questionnaire closes. Your answers are private: the organizers see totals and free-text answers without your name, and never a group of fewer than 3 people.",
  "eval.progress": "{count} of {total} answered",
  "eval.required": "required",
  "eval.optional": "optional",
  "eval.ends": "{min} = {low}, {max} = {high}",
  "eval.saved": "Saved",
  "eval.waiting": "Waiting to be sent…",
  "eval.notYet": "Not answered yet",
  "eval.clear": "Clear my answer",
  "eval.saveText": "Save this answer",
  "eval.textHint": "Up to 1,000 characters. Saved when you leave the box or press the button.",
  "eval.closedThanks": "The questionnaire is closed. Thank you for your answers!",
  "eval.dialogClose": "Close the questionnaire",
  "eval.kind.likert": "Scale 1-5",
  "eval.kind.nps": "Recommendation 0-10",
  "eval.kind.choice": "Single choice",
  "eval.kind.text": "Free text",
  "eval.c.title": "Evaluation",
  "eval.c.hint": "Moving the agenda to the evaluation session opens the questionnaire. Once opened, its questions are fixed so that every answer keeps its meaning.",
  "eval.c.status.draft": "Draft: not yet open to participants.",
  "eval.c.status.open": { one: "Open: {count} person has answered.", other: "Open: {count} people have answered." },
  "eval.c.status.closed": { one: "Closed: {count} person answered.", other: "Closed: {count} people answered." },
  "eval.c.open": "Open the questionnaire",
  "eval.c.reopen": "Reopen the questionnaire",
  "eval.c.close": "Close the questionnaire",
  "eval.c.sendRemote": "Send it to remote screens",
  "eval.c.sendAll": "Send it to every screen",
  "eval.c.shown": "Show the results on the projector",
  "eval.c.frozen": "The questionnaire was opened: its questions are fixed.",
  "eval.c.add": "Add a question",
  "eval.c.edit": "Edit",
  "eval.c.editLabel": "Edit: {text}",
  "eval.c.remove": "Remove",
  "eval.c.removeLabel": "Remove: {text}",
  "eval.c.up": "Up",
  "eval.c.upLabel": "Move up: {text}",
  "eval.c.down": "Down",
  "eval.c.downLabel": "Move down: {text}",
  "eval.c.kind": "Kind of question",
  "eval.c.text": "Question",
  "eval.c.options": "Options, one per line",
  "eval.c.low": "Lowest score means",
  "eval.c.high": "Highest score means",
  "eval.c.save": "Save the question",
  "eval.c.cancel": "Cancel",
  "eval.c.results": "Results",
  "eval.c.by": "Show results",
  "eval.r.by.overall": "Overall",
  "eval.r.by.sector": "By sector",
  "eval.r.by.country": "By country",
  "eval.r.by.attendance": "On site / remote",
  "eval.r.overall": "Everyone",
  "eval.r.n": "Answers",
  "eval.r.mean": "Average",
  "eval.r.nps": "NPS",
  "eval.r.distribution": "Distribution",
  "eval.r.count": "{count} ({share}%)",
  "eval.r.none": "No results yet.",
  "eval.r.respondents": { one: "{count} person has answered.", other: "{count} people have answered." },
  "eval.r.suppressNote": "Groups with fewer than {min} answers (and, where needed, the next smallest group) are not shown, so that nobody can be recognised.",
  "eval.r.suppressed": "Fewer than {min} answers: not shown",
  "eval.r.unknown": "Unknown",
  "eval.r.att.onsite": "On site",
  "eval.r.att.remote": "Remote",
  "eval.p.open": { one: "The questionnaire is open on your phone: {count} answer so far.", other: "The questionnaire is open on your phone: {count} people have answered so far." },
  "eval.p.closed": "The questionnaire is closed. Thank you!",
  // roomux-rules: voting, timer, clustering, projector, joining from a phone
  "vote.votersList": "Voted: {names}",
  "vote.voterTimes": "{name} ×{count}",
  "vote.returnedBudget": { one: "{count} of your votes went back to you: the facilitator lowered the votes per person to {budget}.", other: "{count} of your votes went back to you: the facilitator lowered the votes per person to {budget}." },
  "vote.returnedCap": { one: "{count} of your votes went back to you: the facilitator lowered the most votes per idea to {cap}.", other: "{count} of your votes went back to you: the facilitator lowered the most votes per idea to {cap}." },
  "fac.voteNow.open": "Participants can vote now.",
  "fac.voteNow.closed": "Voting is closed.",
  "fac.voteNow.later": "Voting opens in the {phase} phase.",
  "fac.voteNow.never": "No phase of this room allows voting.",
  "fac.resultsShown": "Results are shown to everyone.",
  "fac.resultsHidden": "Results are hidden from participants.",
  "fac.hideResults": "Hide results",
  "fac.seconds": "Seconds",
  "fac.presets": "Quick timers (each starts at once)",
  "fac.presetMinutes": { one: "{count} min", other: "{count} min" },
  "fac.timerEmpty": "Set at least one second.",
  "timer.cue": "Time is up!",
  "timer.sound": "Sound when time is up",
  "join.localOnly": "Phones cannot open this link: the server listens on this computer only. Restart it with {setting} to let phones on the same network join.",
  "room.cap.clusters": "cluster ideas",
  "clusters.participants": "Let participants cluster ideas in this phase ({phase})",
  "clusters.dragHint": "Drag a card onto a cluster to move it, or onto another card to make a new cluster of both. Or use each card's Cluster list.",
  "clusters.newWith": "New cluster with this idea",
  "vote.returnedAnnounce": { one: "The voting limits changed: {count} of your votes went back to you.", other: "The voting limits changed: {count} of your votes went back to you." },
  // roomux-client
  "pending.short": "waiting",
  "pending.edited": "Your edit is waiting to be sent.",
  "pending.deleted": "Deleting: waiting to be sent.",
  "pending.deleting": "deleting, waiting",
  "join.needName": "Please enter your name.",
  "join.needChoice": "Please choose one.",
  "join.needAttendance": "Please choose how you are taking part.",
  "error.more": "Technical details",
  "conn.short.connecting": "Connecting…",
  "conn.short.live": "Live",
  "conn.short.offline": "Offline",
  "conn.short.stopped": "Disconnected",
  "roster.title": "People in this room",
  "roster.summary": { one: "{online} online now of {count} person who came in", other: "{online} online now of {count} people who came in" },
  "roster.online": "online",
  "roster.away": "not connected",
  "me.label": "You: {name}",
  "me.title": "Your profile",
  "me.intro": "Others in the forum see your name, organization, sector and country.",
  "me.save": "Save",
  "me.saving": "Saving…",
  "me.saved": "Saved. Everyone in your rooms now sees the change.",
  "me.offline": "You are offline: your profile can be changed when you are back online.",
  "board.keys": "Arrow keys or J and K move between ideas; Enter opens an idea's actions; Escape goes back to the idea.",
  // exports
  "exp.title": "Results and exports",
  "exp.hint": "Every file carries the forum's confidentiality label. Download them at any time, during or after the event.",
  "exp.brief": "Open the policy brief to print",
  "exp.pdf": "Policy brief (PDF)",
  "exp.json": "Everything (JSON)",
  "exp.md": "Report (Markdown)",
  "exp.csv": "Tables (CSV):",
  "exp.table.ideas": "Ideas",
  "exp.table.votes": "Votes",
  "exp.table.recommendations": "Recommendations",
  "exp.table.actions": "Action items",
  "exp.table.connections": "Connections",
  "exp.table.evaluation": "Questionnaire",
  "exp.table.participation": "Participation",
  "exp.preparing": "Preparing the file…",
  "exp.noPdf": "The server cannot print PDFs (no Chromium installed). Open the brief and print it from the browser instead.",
  "res.title": "Results",
  "res.open": "The forum's results",
  "res.noToken": "Open this page from the link on your own device: it needs your participant token.",
  "res.recommendations": "Recommendations",
  "res.noRecommendations": "No recommendation was made.",
  "res.fromRoom": { one: "from {room}, {count} vote", other: "from {room}, {count} votes" },
  "res.fromRoomOnly": "from {room}",
  "res.action": "Proposed action: {action}",
  "res.owner": "Owner: {owner} · due {due}",
  "res.noDue": "no date",
  "res.topIdeas": "Top ideas of each room",
  "res.votes": { one: "{count} vote", other: "{count} votes" },
  "res.notRevealed": "The votes of this room were not revealed.",
  "res.evaluation": "What participants said",
  "res.noEvaluation": "The questionnaire's results appear here once it is closed.",
  "res.respondents": { one: "{count} person answered.", other: "{count} people answered." },
  "res.suppressed": "Fewer than {count} answers: not shown",
  "res.nps": "NPS {nps} ({count} answers)",
  "res.mean": "Average {mean} of 5 ({count} answers)",
  "res.answers": { one: "{count} answer", other: "{count} answers" },
  "res.connections": "Your connections",
  "res.noConnections": "No connection yet: both people must ask to stay in touch.",
  "res.actions": "Your action items",
  "res.noActions": "You own no action item.",
  "res.actionStatus": "{status} · due {due}",
  "res.status.open": "Open",
  "res.status.in_progress": "In progress",
  "res.status.done": "Done",
  "res.status.dropped": "Dropped",
};

/** The languages of the Baltic Sea Region, each named in itself (the picker's order). */
export const LANGUAGES = {
  da: "Dansk", de: "Deutsch", et: "Eesti", en: "English", fi: "Suomi", is: "Íslenska",
  lv: "Latviešu", lt: "Lietuvių", nb: "Norsk bokmål", pl: "Polski", sv: "Svenska",
};

/** The languages with a catalogue: English in this file, every other one in locales/<code>.js. */
export const SHIPPED = ["da", "de", "en", "et", "fi", "is", "lt", "lv", "nb", "pl", "sv"];

/** The pseudo-locale for overflow tests: generated from English, never shipped as a file. */
export const PSEUDO = "en-XA";

const ENGLISH = "en";
const STORED = "hackrooms.lang";
// Codes a browser may send for a language we ship under another code (Norwegian: Bokmål).
const ALIASES = { no: "nb", nn: "nb" };

let active = en;
let lang = ENGLISH;
let plurals = new Intl.PluralRules(ENGLISH);
let numbers = new Intl.NumberFormat(ENGLISH);

/** The reader's language: a code of SHIPPED, or PSEUDO. */
export function currentLanguage() {
  return lang;
}

/** The shipped language (or the pseudo-locale) a BCP 47 tag such as "lt-LT" asks for; else null. */
export function languageOf(tag) {
  if (!tag) return null;
  const lower = String(tag).toLowerCase();
  if (lower === PSEUDO.toLowerCase() || lower.startsWith("qps")) return PSEUDO;
  const base = lower.split(/[-_]/)[0];
  const code = ALIASES[base] || base;
  return SHIPPED.includes(code) ? code : null;
}

function storedLanguage() {
  try {
    return localStorage.getItem(STORED);
  } catch {
    return null;  // storage blocked: the browser's languages decide
  }
}

function remember(code) {
  try {
    localStorage.setItem(STORED, code);
  } catch {
    // storage blocked: the choice lasts for this page only
  }
}

/** Load the reader's catalogue (?lang=, else this device's choice, else the browser's languages). */
export async function setupI18n() {
  const wanted = new URLSearchParams(location.search).get("lang");
  const candidates = [wanted, storedLanguage(), ...(navigator.languages || [navigator.language])];
  const code = candidates.map(languageOf).find(Boolean) || ENGLISH;
  // A link with ?lang= is a choice too (kept when the app moves on), except the test locale.
  if (wanted && code === languageOf(wanted) && code !== PSEUDO) remember(code);
  await useLanguage(code);
}

/** Make `code` the language of this page (no re-render: see chooseLanguage). */
export async function useLanguage(code) {
  let catalogue = en;
  let chosen = code;
  if (code === PSEUDO) {
    catalogue = pseudoCatalogue(en);
  } else if (code !== ENGLISH) {
    try {
      const mod = await import(`./locales/${code}.js`);
      catalogue = { ...en, ...mod.default };
    } catch (failure) {
      console.warn("i18n: no catalogue for", code, failure);
      chosen = ENGLISH;
    }
  }
  active = catalogue;
  lang = chosen;
  plurals = new Intl.PluralRules(lang);
  numbers = new Intl.NumberFormat(lang);
  document.documentElement.lang = lang;
}

/**
 * The reader picked a language: remember it on this device and load the page again in it.
 * A reload, not a re-render: every screen builds its text once from live state, and the page
 * comes back where it was (the session is in localStorage, the token in the fragment).
 */
export function chooseLanguage(code) {
  remember(code);
  const url = new URL(location.href);
  if (url.searchParams.has("lang")) {
    url.searchParams.delete("lang");  // else the link's ?lang= would win over the new choice
    location.replace(url.href);
  } else {
    location.reload();
  }
}

/** The message for `key` with {placeholders} filled in from `params`. */
export function t(key, params = {}) {
  let message = active[key] ?? en[key];
  if (message === undefined) {
    console.warn("i18n: missing key", key);
    return key;
  }
  if (typeof message === "object") {
    const form = plurals.select(params.count ?? 0);
    message = message[form] ?? message.other;
  }
  return message.replace(/\{(\w+)\}/g, (_, name) => {
    const value = params[name];
    if (value === undefined) return `{${name}}`;
    return typeof value === "number" ? numbers.format(value) : String(value);
  });
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

// Formats in the reader's language ------------------------------------------------------------

/** A number (or a share with options such as { maximumFractionDigits: 1 }). */
export function formatNumber(value, options) {
  return options ? new Intl.NumberFormat(lang, options).format(value) : numbers.format(value);
}

/** A clock time (hours and minutes) of epoch ms, in this browser's time zone. */
export function formatTime(ms) {
  return new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit" }).format(new Date(ms));
}

/** A date with its time, of epoch ms. */
export function formatDateTime(ms) {
  return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(new Date(ms));
}

/** "in 5 minutes", "3 minutes ago", "now" (unit: "second", "minute", "hour", "day"). */
export function formatRelative(value, unit) {
  return new Intl.RelativeTimeFormat(lang, { numeric: "auto" }).format(value, unit);
}

/**
 * A list in the reader's language: "conjunction" joins with "and" (a sentence: "a, b ir c"),
 * "unit" only with commas (an enumeration of names, times, rooms). Commas by hand for "unit":
 * CLDR's unit lists differ without reason ("a b ir c" in Lithuanian, "a, b und c" in German).
 */
export function formatList(items, type = "conjunction") {
  if (type === "unit") return items.map(String).join(", ");
  return new Intl.ListFormat(lang, { style: "long", type }).format(items.map(String));
}

/** Compare two texts for sorting, by the reader's alphabet (Š after S in Lithuanian, …). */
export function compareText(a, b) {
  return new Intl.Collator(lang).compare(a, b);
}

// The pseudo-locale ---------------------------------------------------------------------------

const ACCENTED = {
  a: "á", b: "ƀ", c: "ç", d: "ð", e: "é", f: "ƒ", g: "ĝ", h: "ĥ", i: "í", j: "ĵ", k: "ķ", l: "ļ",
  m: "ɱ", n: "ñ", o: "ö", p: "þ", q: "ǫ", r: "ŕ", s: "š", t: "ţ", u: "ü", v: "ṽ", w: "ŵ", x: "ẋ",
  y: "ý", z: "ž", A: "Å", B: "Ɓ", C: "Ç", D: "Ð", E: "É", F: "Ƒ", G: "Ĝ", H: "Ĥ", I: "Í", J: "Ĵ",
  K: "Ķ", L: "Ļ", M: "Ṁ", N: "Ñ", O: "Ö", P: "Þ", Q: "Ǫ", R: "Ŕ", S: "Š", T: "Ţ", U: "Û", V: "Ṽ",
  W: "Ŵ", X: "Ẋ", Y: "Ý", Z: "Ž",
};
const FILLER = "ļöŕéɱ íþšüɱ ðöļöŕ šíţ áɱéţ çöñšéçţéţüŕ áðíþíšçíñĝ éļíţ šéð ðö éíüšɱöð ţéɱþöŕ";

/** One English message made longer (~35%), accented and bracketed; {placeholders} kept. */
export function pseudoMessage(text) {
  if (!text) return text;
  const body = text.split(/(\{\w+\})/)
    .map((part, i) => (i % 2 ? part : Array.from(part, (ch) => ACCENTED[ch] ?? ch).join("")))
    .join("");
  const extra = Math.max(2, Math.ceil(text.length * 0.35));
  return `[${body} ${FILLER.slice(0, extra).trim()}]`;
}

function pseudoCatalogue(source) {
  const out = {};
  for (const [key, message] of Object.entries(source)) {
    if (key === "app.name") out[key] = message;  // the brand stays as it is
    else if (typeof message === "string") out[key] = pseudoMessage(message);
    else out[key] = Object.fromEntries(Object.entries(message).map(([f, m]) => [f, pseudoMessage(m)]));
  }
  return out;
}
