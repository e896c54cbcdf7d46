import Foundation

/// The API's OpenAPI 3.1 description, served at `/openapi.json`.
enum OpenAPI {
    static let document: String = {
        let data = try! JSONSerialization.data(withJSONObject: build(), options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }()

    private static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }

    private static func body(_ schema: [String: Any]) -> [String: Any] {
        ["required": true, "content": ["application/json": ["schema": schema]]]
    }

    private static var problems: [String: Any] { [
        "401": ["description": "no valid bearer token", "content": ["application/problem+json": ["schema": ref("Problem")]]],
        "403": ["description": "the caller's seat does not allow it", "content": ["application/problem+json": ["schema": ref("Problem")]]],
        "404": ["description": "the talks, or something it names, does not exist", "content": ["application/problem+json": ["schema": ref("Problem")]]],
        "409": ["description": "a rule of the talks refuses it", "content": ["application/problem+json": ["schema": ref("Problem")]]],
        "413": ["description": "the body is larger than 256 KiB"],
        "422": ["description": "the body or a query parameter is malformed", "content": ["application/problem+json": ["schema": ref("Problem")]]],
        "503": ["description": "the server is shutting down; try again", "content": ["application/problem+json": ["schema": ref("Problem")]]],
    ] }

    private static func command(_ summary: String, _ schema: [String: Any]?, parameters: [String] = []) -> [String: Any] {
        var operation: [String: Any] = [
            "summary": summary,
            "security": [["bearer": [] as [Any]]],
            "parameters": (["id"] + parameters).map { ["name": $0, "in": "path", "required": true, "schema": ["type": "string"]] },
            "responses": problems.merging(["201": ["description": "stored durably", "content": ["application/json": ["schema": ref("Stored")]]]]) { a, _ in a },
        ]
        if let schema { operation["requestBody"] = body(schema) }
        return operation
    }

    private static func object(_ properties: [String: [String: Any]], required: [String]) -> [String: Any] {
        ["type": "object", "properties": properties, "required": required]
    }

    private static var string: [String: Any] { ["type": "string"] }
    /// What people type (``TextRules``): at most 20,000 characters, not only whitespace.
    private static var text: [String: Any] { ["type": "string", "maxLength": 20_000, "pattern": "[^ \\t\\n\\r]"] }
    /// A party's name: not empty, no whitespace at either end.
    private static var name: [String: Any] { ["type": "string", "pattern": "^[^ \\t\\n\\r]([\\s\\S]*[^ \\t\\n\\r])?$"] }
    private static var date: [String: Any] { ["type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"] }
    /// A whole number the server reads as a 64-bit integer.
    private static func integer(minimum: Int) -> [String: Any] { ["type": "integer", "minimum": minimum, "maximum": Int.max] }
    /// An optional field: absent and `null` mean the same.
    private static func nullable(_ schema: [String: Any]) -> [String: Any] {
        var schema = schema
        if let type = schema["type"] as? String { schema["type"] = [type, "null"] } else { schema = ["anyOf": [schema, ["type": "null"]]] }
        return schema
    }
    private static func array(_ items: [String: Any], minItems: Int? = nil, unique: Bool = false) -> [String: Any] {
        var schema: [String: Any] = ["type": "array", "items": items]
        if let minItems { schema["minItems"] = minItems }
        if unique { schema["uniqueItems"] = true }
        return schema
    }
    private static var token: [String: Any] { object(["token": string], required: ["token"]) }

    /// An operation an operator calls with their own token.
    private static func operatorOperation(_ summary: String, _ schema: [String: Any], status: String = "200") -> [String: Any] {
        ["summary": summary, "security": [["bearer": [] as [Any]]],
         "responses": [status: ["description": summary, "content": ["application/json": ["schema": schema]]], "401": problems["401"]!, "404": problems["404"]!]]
    }

    private static func build() -> [String: Any] {
        let textBody = object(["text": text], required: ["text"])
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Shuttle talks service",
                "version": "1",
                "description": """
                    Mediated, indirect talks. Operators (added with `shuttle operator add`) open talks; \
                    every member authenticates with the bearer token they were given once; \
                    every read returns only the events the caller's channels allow. The WebSocket at /talks/{id}/stream \
                    streams the same events live (resume with ?after=N); a browser, which cannot set the Authorization \
                    header, sends {"token": "…"} as its first message instead. A stream whose link is replaced or whose member is \
                    removed is closed with code 4401; a client too far behind, with 4429; a server shutting down, with 1001. \
                    Every number a member is given is their own: events are numbered 1, 2, 3… counting only what the member \
                    can see, a delegation's proposals P1, P2… in the order they reached it, and the mediator names messages \
                    by its own event numbers. The record's global numbers and hash chain stay the server's.
                    """,
            ],
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
                "schemas": [
                    "Problem": object(["type": string, "title": string, "status": ["type": "integer"], "detail": string], required: ["status", "detail"]),
                    "Stored": object(["seq": ["type": "integer"], "events": ["type": "array", "items": ["type": "integer"]]], required: ["seq"]),
                    "Event": [
                        "type": "object", "required": ["seq", "type", "time", "audience"],
                        "properties": ["seq": ["type": "integer", "minimum": 1], "type": string, "time": ["type": "number"],
                                       "audience": ["type": "array", "items": string]],
                        "additionalProperties": true,
                    ],
                    "Package": ["type": "object", "additionalProperties": string, "minProperties": 1],
                    // Exactly one of a package and a text.
                    "Proposal": object(["package": nullable(ref("Package")), "clause": nullable(string), "text": nullable(text), "parties": nullable(array(string))], required: [])
                        .merging(["oneOf": [["required": ["package"], "properties": ["package": ["type": "object"]]],
                                            ["required": ["text"], "properties": ["text": ["type": "string"]]]]]) { a, _ in a },
                    "Preferences": object([
                        "weights": ["type": "object", "additionalProperties": ["type": "number", "minimum": 0]],
                        "values": ["type": "object", "additionalProperties": ["type": "object", "additionalProperties": ["type": "number"]]],
                        "forbidden": ["type": "object", "additionalProperties": ["type": "array", "items": string]],
                        "reservationValue": ["type": "number"],
                    ], required: ["weights", "values", "forbidden", "reservationValue"]),
                ],
            ],
            "paths": [
                "/talks": ["post": [
                    "summary": "Open a talks (an operator's token); the answer holds the mediator's token, given once",
                    "security": [["bearer": [] as [Any]]],
                    "requestBody": body(object(["title": text, "parties": array(name, minItems: 2, unique: true), "mediator": nullable(string)], required: ["title", "parties"])),
                    "responses": ["201": ["description": "opened", "content": ["application/json": ["schema": object(["id": string, "mediatorId": string, "mediatorToken": string], required: ["id", "mediatorToken"])]]],
                                  "401": problems["401"]!, "422": problems["422"]!, "413": problems["413"]!],
                ]],
                "/health": ["get": ["summary": "Whether the server and its store answer (no token needed; nothing about any talks)",
                    "responses": ["200": ["description": "the store answers", "content": ["application/json": ["schema": object(["status": ["enum": ["ok"]]], required: ["status"])]]],
                                  "503": ["description": "the store does not answer", "content": ["application/problem+json": ["schema": ref("Problem")]]]]]],
                "/operator": ["get": operatorOperation("Who the operator is", object(["name": string], required: ["name"]))],
                "/metrics": ["get": ["summary": "Prometheus text for operators: requests, command latency, events appended, streams, loaded talks",
                    "security": [["bearer": [] as [Any]]],
                    "responses": ["200": ["description": "the exposition text", "content": ["text/plain": ["schema": string]]], "401": problems["401"]!]]],
                "/operator/talks": ["get": operatorOperation("The talks this operator opened",
                    object(["talks": ["type": "array", "items": object(["id": string, "title": string, "mediator": string, "parties": ["type": "array", "items": string]], required: ["id", "title", "parties"])]], required: ["talks"]))],
                "/operator/talks/{id}/mediator-link": ["post": {
                    var operation = operatorOperation("A new link for the mediator of a talks this operator opened; the old one stops working", token, status: "201")
                    operation["parameters"] = [["name": "id", "in": "path", "required": true, "schema": string]]
                    return operation
                }()],
                "/talks/{id}/members/{member}/link": ["post": {
                    var operation = command("Give a member a new link (mediator): the old token stops working at once and its streams close", nil, parameters: ["member"])
                    operation["responses"] = problems.merging(["201": ["description": "the new token, given once", "content": ["application/json": ["schema": token]]]]) { a, _ in a }
                    return operation
                }()],
                "/talks/{id}/members/{member}": ["delete": {
                    var operation = command("Remove a delegate (mediator): every token of theirs stops working and their streams close", nil, parameters: ["member"])
                    operation["responses"] = problems.merging(["200": ["description": "removed; the record says so", "content": ["application/json": ["schema": ref("Stored")]]]]) { a, _ in a }
                    return operation
                }()],
                "/talks/{id}/members": ["get": [
                    "summary": "The members and whether each has opened their current link (mediator)",
                    "security": [["bearer": [] as [Any]]],
                    "parameters": [["name": "id", "in": "path", "required": true, "schema": string]],
                    "responses": problems.merging(["200": ["description": "the members", "content": ["application/json": ["schema": object(["members": ["type": "array", "items": object([
                        "memberId": string, "name": string, "role": string, "party": string, "affiliation": string, "linkOpened": ["type": "boolean"],
                    ], required: ["memberId", "name", "role", "linkOpened"])]], required: ["members"])]]]]) { a, _ in a },
                ], "post": {
                    var operation = command("Invite a delegate (mediator); the answer holds their token, given once",
                        object(["party": string, "name": text, "role": ["enum": ["principal", "technical-lead", "expert", "observer"]], "affiliation": nullable(string)], required: ["party", "name", "role"]))
                    operation["responses"] = problems.merging(["201": ["description": "invited", "content": ["application/json": ["schema": object(["memberId": string, "token": string], required: ["memberId", "token"])]]]]) { a, _ in a }
                    return operation
                }()],
                "/talks/{id}/messages": ["post": command("Post a message on room, shuttle (the mediator adds party), joint or track:NAME",
                    object(["channel": ["anyOf": [["enum": ["room", "shuttle", "joint"]], ["type": "string", "pattern": "^track:[\\s\\S]+$"]]], "text": text, "party": nullable(string)], required: ["channel", "text"]))],
                "/talks/{id}/relays": ["post": command("Relay a party's shuttle message to another party (mediator): verbatim, paraphrase or withhold",
                    object(["message": integer(minimum: 1), "party": string, "mode": ["enum": ["verbatim", "paraphrase", "withhold"]], "text": nullable(text)], required: ["message", "party", "mode"])
                        .merging(["if": ["properties": ["mode": ["const": "paraphrase"]], "required": ["mode"]],
                                  "then": ["required": ["text"], "properties": ["text": ["type": "string"]]]]) { a, _ in a })],
                "/talks/{id}/proposals": ["post": command("Propose a package or clause text: a delegate's goes to the mediator, the mediator's to parties", ref("Proposal"))],
                "/talks/{id}/proposals/{proposal}/forward": ["post": command("Pass a party's proposal to another party (mediator)", object(["party": string], required: ["party"]), parameters: ["proposal"])],
                "/talks/{id}/proposals/{proposal}/answer": ["post": command("Answer a proposal put to your party: accept, reject or counter",
                    object(["answer": ["enum": ["accept", "reject", "counter"]], "counter": nullable(ref("Proposal"))], required: ["answer"])
                        .merging(["if": ["properties": ["answer": ["const": "counter"]], "required": ["answer"]],
                                  "then": ["required": ["counter"], "properties": ["counter": ["type": "object"]]],
                                  "else": ["properties": ["counter": ["type": "null"]]]]) { a, _ in a }, parameters: ["proposal"])],
                "/talks/{id}/agenda": ["put": command("Set the agenda (mediator)", object(["issues": array(object(["name": text, "options": array(string, minItems: 1, unique: true)], required: ["name", "options"]), minItems: 1)], required: ["issues"]))],
                "/talks/{id}/phase": ["put": command("Move the talks to another phase (mediator); concluding needs every clause agreed",
                    object(["phase": ["enum": ["exploratory", "technical", "principal-review", "concluded", "suspended"]]], required: ["phase"]))],
                "/talks/{id}/deadline": ["put": command("Set the deadline (mediator), YYYY-MM-DD", object(["date": date], required: ["date"]))],
                "/talks/{id}/tracks": ["post": command("Open a technical or principal track (mediator)",
                    object(["name": text, "level": ["enum": ["technical", "principal"]], "issues": nullable(array(string)), "members": nullable(array(string))], required: ["name", "level"]))],
                "/talks/{id}/clauses": ["post": command("Add a clause to the framework text (mediator)", object(["title": text, "text": text], required: ["title", "text"]))],
                "/talks/{id}/clauses/{clause}/alternatives": ["post": command("Propose your party's bracketed wording", textBody, parameters: ["clause"])],
                "/talks/{id}/clauses/{clause}/settle": ["post": command("Record a track's agreement: agreed-ad-referendum (technical) or agreed (principal)",
                    object(["status": ["enum": ["agreed-ad-referendum", "agreed"]], "text": text, "track": string], required: ["status", "text", "track"]), parameters: ["clause"])],
                "/talks/{id}/rounds": ["post": command("Schedule a round (mediator)",
                    object(["date": date, "venue": text, "level": ["enum": ["technical", "principal"]], "format": ["enum": ["indirect", "direct"]]], required: ["date", "venue", "level", "format"]))],
                "/talks/{id}/rounds/{round}/readouts": ["post": command("Publish your party's readout of a round", textBody, parameters: ["round"])],
                "/talks/{id}/rounds/{round}/statement": ["post": command("Publish a joint statement (mediator)", textBody, parameters: ["round"])],
                "/talks/{id}/joint-session/consent": ["post": command("Consent to a joint session (a principal)", nil)],
                "/talks/{id}/joint-session/open": ["post": command("Open the joint session once every party consents (mediator)", nil)],
                "/talks/{id}/joint-session/close": ["post": command("Close the joint session (mediator)", nil)],
                "/talks/{id}/preferences": ["put": command("Store your party's private preferences (seen only in your room)", ref("Preferences"))],
                "/talks/{id}/suggestions": ["get": [
                    "summary": "Suggested packages (mediator): inside every red line, efficient, nearest the Nash point first; packages only",
                    "security": [["bearer": [] as [Any]]],
                    "parameters": [["name": "id", "in": "path", "required": true, "schema": string], ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 50, "default": 5]]],
                    "responses": problems.merging(["200": ["description": "packages, or why there are none",
                        "content": ["application/json": ["schema": object(["status": ["enum": ["packages", "no-zone-of-agreement", "missing-preferences", "stale-preferences"]],
                            "packages": ["type": "array", "items": ref("Package")], "parties": ["type": "array", "items": string]], required: ["status"])]]]]) { a, _ in a },
                ]],
                "/talks/{id}/utility": ["post": {
                    var operation = command("Your own party's utility for a package", object(["package": ref("Package")], required: ["package"]))
                    operation["responses"] = problems.merging(["200": ["description": "the utility", "content": ["application/json": ["schema": object(["party": string, "utility": ["type": "number"]], required: ["utility"])]]]]) { a, _ in a }
                    return operation
                }()],
                "/talks/{id}/me": ["get": [
                    "summary": "Who the caller is: member id, name, role, party; the talks' title and parties",
                    "security": [["bearer": [] as [Any]]],
                    "parameters": [["name": "id", "in": "path", "required": true, "schema": string]],
                    "responses": problems.merging(["200": ["description": "the caller", "content": ["application/json": ["schema": object(["memberId": string, "name": string, "role": string, "party": string, "title": string, "parties": ["type": "array", "items": string]], required: ["memberId", "role"])]]]]) { a, _ in a },
                ]],
                "/talks/{id}/verification": ["get": [
                    "summary": "Whether the record's hash chain is intact (the verdict only: nothing that changes with others' traffic)",
                    "security": [["bearer": [] as [Any]]],
                    "parameters": [["name": "id", "in": "path", "required": true, "schema": string]],
                    "responses": problems.merging(["200": ["description": "the verdict", "content": ["application/json": ["schema": object(["intact": ["type": "boolean"]], required: ["intact"])]]]]) { a, _ in a },
                ]],
                "/talks/{id}/events": ["get": [
                    "summary": "The caller's visible events, in order, after ?after=N",
                    "security": [["bearer": [] as [Any]]],
                    "parameters": [["name": "id", "in": "path", "required": true, "schema": string],
                                   ["name": "after", "in": "query", "schema": integer(minimum: 0)],
                                   ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 1000, "default": 500]]],
                    "responses": problems.merging(["200": ["description": "events, and whether more follow", "content": ["application/json": ["schema": object(["events": ["type": "array", "items": ref("Event")], "more": ["type": "boolean"]], required: ["events", "more"])]]]]) { a, _ in a },
                ]],
                "/talks/{id}/export": ["get": [
                    "summary": "The caller's visible events as JSON lines",
                    "security": [["bearer": [] as [Any]]],
                    "parameters": [["name": "id", "in": "path", "required": true, "schema": string]],
                    "responses": problems.merging(["200": ["description": "one event per line", "content": ["application/jsonl": ["schema": string]]]]) { a, _ in a },
                ]],
                "/talks/{id}/stream": ["get": [
                    "summary": "WebSocket: the caller's visible events, live, after ?after=N",
                    "parameters": [["name": "id", "in": "path", "required": true, "schema": string], ["name": "after", "in": "query", "schema": integer(minimum: 0)]],
                    "responses": ["101": ["description": "switching to WebSocket; each text message is one Event"],
                                  "426": ["description": "not a WebSocket upgrade", "content": ["application/problem+json": ["schema": ref("Problem")]]]],
                ]],
            ],
        ]
    }
}
