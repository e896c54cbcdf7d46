import Crypto

/// SHA-256 as lowercase hexadecimal, for the record's hash chain and for stored token hashes.
///
/// The digest comes from apple/swift-crypto (BoringSSL on Linux): cryptography is not this
/// project's product, and a maintained, constant-time implementation is what a service that
/// stores token hashes should use.
public enum RecordDigest {
    /// The SHA-256 digest of `bytes`, as 64 lowercase hexadecimal digits.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digest = SHA256.hash(data: Array(bytes))
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
