#!/usr/bin/env python3
"""Prepares talks for scripts/api-contract.sh: one with sealed rooms, members, an agenda, a track, a clause, a
round, a proposal and a party's message, for the talks' routes; another for the operator's routes
(which give its mediator new links, revoking the old). Prints TALKS, MEDIATOR, MEMBER and
OPERATOR_TALKS as shell assignments."""
import json
import sys
import urllib.request

base, operator = sys.argv[1], sys.argv[2]


def call(method, path, token, body=None):
    request = urllib.request.Request(base + path, method=method, headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                                     data=json.dumps(body).encode() if body is not None else None)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"{}")


# Sealed rooms: the contract holds with them (the operator's talks, below, are not sealed).
opened = call("POST", "/talks", operator, {"title": "Contract", "parties": ["A", "B"], "mediator": "M", "sealedRooms": True})
talks, mediator = opened["id"], opened["mediatorToken"]
path = f"/talks/{talks}"
members = {}
for party in ["A", "B"]:
    for role in ["principal", "technical-lead", "expert"]:
        invited = call("POST", path + "/members", mediator, {"party": party, "name": f"{party} {role}", "role": role})
        members[f"{party}-{role}"] = invited
call("PUT", path + "/agenda", mediator, {"issues": [{"name": "x", "options": ["1", "2"]}, {"name": "y", "options": ["a", "b"]}]})
call("POST", path + "/tracks", mediator, {"name": "experts", "level": "technical", "issues": ["x"],
                                          "members": [members["A-expert"]["memberId"], members["B-expert"]["memberId"]]})
call("POST", path + "/clauses", mediator, {"title": "Scope", "text": "[one][two]"})
call("POST", path + "/rounds", mediator, {"date": "2026-12-01", "venue": "Muscat", "level": "principal", "format": "indirect"})
call("POST", path + "/proposals", mediator, {"package": {"x": "1"}, "parties": ["A", "B"]})
call("POST", path + "/messages", members["A-principal"]["token"], {"channel": "shuttle", "text": "to the mediator"})
other = call("POST", "/talks", operator, {"title": "Operator's", "parties": ["A", "B"]})
print(f"TALKS={talks}\nMEDIATOR={mediator}\nMEMBER={members['A-expert']['memberId']}\nOPERATOR_TALKS={other['id']}")
