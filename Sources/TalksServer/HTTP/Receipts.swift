import Foundation
import Hummingbird
import Logging
import Talks
import TalksStore

/// Receipts in answers: every write that added to the caller's view answers, beside what it
/// answers today, the inclusion proof of the caller's newest event in a signed checkpoint of
/// their log (``Receipt``), as `"receipt": {"index", "checkpoint", "proof"}`.
extension TalksHub {
    /// The receipt for the caller's event `number` as JSON, or `nil` when the write added
    /// nothing to their view, or when it could not be made: the write is stored whatever
    /// happens here, so its answer must not say otherwise; the proof can be asked for later.
    nonisolated func receiptJSON(for caller: MemberRequestContext, number: Int?) async -> String? {
        guard let number else { return nil }
        do {
            return Self.json(try await receipt(in: caller.talks, for: caller.member.id, number: number))
        } catch {
            caller.logger.warning("no receipt for a stored write", metadata: ["error": "\(type(of: error))"])
            return nil
        }
    }

    /// `receipt` as the API writes it: by hand, as it goes with every write.
    static func json(_ receipt: Receipt) -> String {
        let proof = receipt.proof.map { "\"" + Data($0).base64EncodedString() + "\"" }.joined(separator: ",")
        return "{\"index\":\(receipt.index),\"checkpoint\":\(jsonString(receipt.checkpoint.note)),\"proof\":[\(proof)]}"
    }

    /// `text` as a JSON string, escaped byte by byte (UTF-8's multi-byte sequences never hold
    /// a byte below 0x80, so they pass through whole).
    static func jsonString(_ text: String) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), byte]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case ..<0x20: out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }
}

extension TalksHub {
    /// `answer`, a JSON object, with the receipt for the caller's event `number` added last.
    nonisolated func withReceipt(_ answer: String, for caller: MemberRequestContext, number: Int?) async -> String {
        guard let receipt = await receiptJSON(for: caller, number: number), answer.hasSuffix("}") else { return answer }
        return String(answer.dropLast()) + (answer == "{}" ? "" : ",") + "\"receipt\":" + receipt + "}"
    }
}
