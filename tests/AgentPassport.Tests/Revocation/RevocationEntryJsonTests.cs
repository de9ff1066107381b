using System.Text;

namespace AgentPassport.Tests.Revocation;

/// <summary>The public revocation wire form (<see cref="RevocationEntry.ToJson"/> / <see cref="RevocationEntry.ParseJson"/>) that out-of-process stores use.</summary>
public sealed class RevocationEntryJsonTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Entries => ["jti", "sub", "agent"];

    [Theory]
    [MemberData(nameof(Entries))]
    public void ToJson_ThenParseJson_GivesTheSameEntry(string kind)
    {
        var entry = kind switch
        {
            "jti" => RevocationEntry.ForToken("jti-1", Now.AddMinutes(5)),
            "sub" => RevocationEntry.ForSubject("alice", Now),
            _ => RevocationEntry.ForAgent("agent-7", Now),
        };

        var back = RevocationEntry.ParseJson(entry.ToJson());

        Assert.Equal(entry, back);
        Assert.Contains($"\"kind\":\"{kind}\"", Encoding.UTF8.GetString(entry.ToJson()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"kind\":\"jti\",\"value\":\"x\"}")]
    [InlineData("{\"kind\":\"nope\",\"value\":\"x\",\"expires\":1}")]
    [InlineData("{\"kind\":\"jti\",\"value\":\"\",\"expires\":1}")]
    [InlineData("{\"kind\":\"jti\",\"value\":\"x\",\"before\":1,\"expires\":1}")]
    [InlineData("{\"kind\":\"sub\",\"value\":\"x\",\"expires\":1}")]
    [InlineData("{\"kind\":\"jti\",\"value\":\"x\",\"expires\":\"soon\"}")]
    [InlineData("{\"kind\":\"jti\",\"value\":\"x\",\"expires\":9223372036854775807}")]
    public void ParseJson_NotARevocationEntry_IsAFormatException(string json)
    {
        Assert.Throws<FormatException>(() => RevocationEntry.ParseJson(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void ParseJson_ValueTooLong_IsAFormatException()
    {
        string json = $"{{\"kind\":\"jti\",\"value\":\"{new string('a', RevocationEntry.MaxValueLength + 1)}\",\"expires\":1}}";

        Assert.Throws<FormatException>(() => RevocationEntry.ParseJson(Encoding.UTF8.GetBytes(json)));
    }
}
