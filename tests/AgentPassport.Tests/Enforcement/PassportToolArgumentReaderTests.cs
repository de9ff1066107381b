using System.Text.Json;

namespace AgentPassport.Tests.Enforcement;

/// <summary>The one reading of a call's arguments every adapter uses: strings bound by the parameter's type, invariant.</summary>
public sealed class PassportToolArgumentReaderTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type":"object","properties":{
          "amount":{"type":"number"},"seats":{"type":["integer","null"]},"refundable":{"type":"boolean"},"dest":{"type":"string"}}}
        """).RootElement;

    private static string Read(string name, object? value) =>
        PassportToolArgumentReader.Read([new(name, value)], Schema).TryGetValue(name, out var read) ? read.GetRawText() : "missing";

    [Theory]
    [InlineData("amount", "500", "500")]
    [InlineData("amount", "400.50", "400.50")]
    [InlineData("amount", "5e2", "500")]
    [InlineData("amount", "400,50", "\"400,50\"")]     // not invariant: stays a string
    [InlineData("amount", "1e400", "\"1e400\"")]       // not representable: stays a string
    [InlineData("seats", "3", "3")]                    // a nullable integer parameter
    [InlineData("seats", "3.5", "\"3.5\"")]            // not an integer
    [InlineData("refundable", "TRUE", "true")]
    [InlineData("dest", "500", "\"500\"")]             // a string parameter keeps its string
    [InlineData("unknown", "500", "\"500\"")]          // no parameter: taken as it is
    public void AStringIsReadAsItsParameterBindsIt(string name, string value, string json)
    {
        Assert.Equal(json, Read(name, value));
        Assert.Equal(json, Read(name, JsonSerializer.SerializeToElement(value)));
    }

    [Fact]
    public void ClrParameterTypes_MapToTheirKinds()
    {
        Assert.Equal(PassportArgumentKind.Number, PassportToolArgumentReader.KindOf(typeof(decimal?)));
        Assert.Equal(PassportArgumentKind.WholeNumber, PassportToolArgumentReader.KindOf(typeof(int)));
        Assert.Equal(PassportArgumentKind.Boolean, PassportToolArgumentReader.KindOf(typeof(bool)));
        Assert.Equal(PassportArgumentKind.Other, PassportToolArgumentReader.KindOf(typeof(string)));
        Assert.Equal(PassportArgumentKind.Other, PassportToolArgumentReader.KindOf(null));
    }

    [Fact]
    public void Same_ComparesNamesAndValuesAsJson_NumbersByValue()
    {
        var a = PassportToolArguments.From([new("amount", 500m), new("dest", "JFK")]);

        Assert.True(PassportToolArgumentReader.Same(a, PassportToolArguments.From([new("dest", "JFK"), new("amount", JsonDocument.Parse("500.0").RootElement)])));
        Assert.False(PassportToolArgumentReader.Same(a, PassportToolArguments.From([new("amount", 900m), new("dest", "JFK")])));
        Assert.False(PassportToolArgumentReader.Same(a, PassportToolArguments.From([new("amount", 500m)])));
        Assert.False(PassportToolArgumentReader.Same(a, PassportToolArguments.From([new("amount", 500m), new("dest", "LGA")])));
    }
}
