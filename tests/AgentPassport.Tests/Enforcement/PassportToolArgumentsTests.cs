using System.Text;
using System.Text.Json;

namespace AgentPassport.Tests.Enforcement;

public sealed class PassportToolArgumentsTests
{
    [Fact]
    public void Clr_values_and_json_values_read_the_same_and_canonicalize_in_member_order()
    {
        using var json = JsonDocument.Parse("""{"dest":"JFK","amount":500.0}""");
        var fromJson = PassportToolArguments.FromJsonObject(json.RootElement);
        var fromClr = PassportToolArguments.From([new("amount", 500m), new("dest", "JFK")]);

        Assert.True(fromJson.TryGetCanonicalJson(out var a));
        Assert.True(fromClr.TryGetCanonicalJson(out var b));
        Assert.Equal("""{"amount":500,"dest":"JFK"}""", Encoding.UTF8.GetString(a));
        Assert.Equal(a, b);
        Assert.True(fromClr.TryGetValue("dest", out var dest));
        Assert.Equal("JFK", dest.GetString());
    }

    [Fact]
    public void A_value_that_cannot_be_serialized_is_undefined_and_the_arguments_are_not_complete()
    {
        var cycle = new List<object>();
        cycle.Add(cycle);

        var arguments = PassportToolArguments.From([new("ok", 1), new("bad", cycle)]);

        Assert.False(arguments.IsComplete);
        Assert.True(arguments.TryGetValue("bad", out var bad));
        Assert.Equal(JsonValueKind.Undefined, bad.ValueKind);
        Assert.False(arguments.TryGetCanonicalJson(out _));
    }

    [Fact]
    public void A_duplicated_json_member_is_trusted_in_neither_form()
    {
        using var json = JsonDocument.Parse("""{"amount":1,"amount":900}""");

        var arguments = PassportToolArguments.FromJsonObject(json.RootElement);

        Assert.False(arguments.IsComplete);
        Assert.True(arguments.TryGetValue("amount", out var amount));
        Assert.Equal(JsonValueKind.Undefined, amount.ValueKind);
    }

    [Fact]
    public void Arguments_that_are_not_an_object_are_not_complete()
    {
        using var json = JsonDocument.Parse("[1,2]");

        Assert.False(PassportToolArguments.FromJsonObject(json.RootElement).IsComplete);
    }

    [Fact]
    public void More_arguments_than_the_cap_are_not_complete()
    {
        var many = Enumerable.Range(0, PassportToolArguments.MaxArguments + 1).Select(i => new KeyValuePair<string, object?>($"a{i}", i));

        var arguments = PassportToolArguments.From(many);

        Assert.False(arguments.IsComplete);
        Assert.Equal(PassportToolArguments.MaxArguments, arguments.Count);
    }

    [Fact]
    public void ToString_shows_no_value() =>
        Assert.DoesNotContain("secret", PassportToolArguments.From([new("p", "secret")]).ToString(), StringComparison.Ordinal);
}
