using System.Formats.Asn1;
using System.Numerics;

namespace AgentPassport.Tests.Support;

/// <summary>ES256 signature transformations used by the malleability and encoding cases.</summary>
internal static class SignatureTricks
{
    /// <summary>The order n of the P-256 group.</summary>
    private static readonly BigInteger N = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);

    /// <summary>The high-S twin (r, n − s) of a P1363 signature: mathematically valid for the same message.</summary>
    public static byte[] HighSTwin(byte[] p1363)
    {
        var s = new BigInteger(p1363.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        var twin = N - s;
        var result = (byte[])p1363.Clone();
        Array.Clear(result, 32, 32);
        byte[] t = twin.ToByteArray(isUnsigned: true, isBigEndian: true);
        t.CopyTo(result, 64 - t.Length);
        return result;
    }

    /// <summary>The same (r, s) as a DER SEQUENCE of two INTEGERs (RFC 3279), the form JWS forbids.</summary>
    public static byte[] ToDer(byte[] p1363)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(p1363.AsSpan(0, 32));
            writer.WriteIntegerUnsigned(p1363.AsSpan(32, 32));
        }

        return writer.Encode();
    }

    /// <summary>Replaces the signature segment of a compact token.</summary>
    public static string WithSignature(string token, byte[] signature) =>
        token[..(token.LastIndexOf('.') + 1)] + TokenForge.B64(signature);

    public static byte[] SignatureOf(string token) => TokenForge.Unb64(token[(token.LastIndexOf('.') + 1)..]);
}
