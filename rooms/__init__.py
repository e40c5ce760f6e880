"""The pure domain of a hackathon room: state, commands, events and rules, with no I/O.

Everything here is a function of its inputs: ``decide(state, command, actor, now)`` returns the
events a command produces (or a rejection), ``apply(state, event)`` returns the next state.
Time and ids come in as arguments, so replaying a log always gives the same state.
"""
