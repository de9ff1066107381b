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

public sealed class PassportToolArgumentsDeferredTests
{
    private static readonly Func<string, PassportArgumentKind> NumberAmount = name => name == "amount" ? PassportArgumentKind.Number : PassportArgumentKind.Other;

    [Fact]
    public void A_decision_that_never_read_its_arguments_holds_for_any_arguments()
    {
        var decided = PassportToolArgumentReader.Read([new("amount", "400")], NumberAmount);
        var current = PassportToolArgumentReader.Read([new("amount", "900")], NumberAmount);

        Assert.True(PassportToolArgumentReader.StillHolds(decided, current));
    }

    [Fact]
    public void A_decision_that_read_its_arguments_holds_only_for_the_same_arguments()
    {
        var decided = PassportToolArgumentReader.Read([new("amount", "400")], NumberAmount);
        Assert.True(decided.TryGetValue("amount", out var amount));
        Assert.Equal(400m, amount.GetDecimal());

        Assert.False(PassportToolArgumentReader.StillHolds(decided, PassportToolArgumentReader.Read([new("amount", "900")], NumberAmount)));
        Assert.True(PassportToolArgumentReader.StillHolds(decided, PassportToolArgumentReader.Read([new("amount", 400)], NumberAmount)));
    }

    [Fact]
    public void The_pairs_are_taken_when_read_is_called_so_a_later_change_to_the_callers_dictionary_is_not_seen()
    {
        var source = new Dictionary<string, object?> { ["amount"] = "400" };
        var arguments = PassportToolArgumentReader.Read(source, NumberAmount);
        source["amount"] = "900";
        source["dest"] = "BOS";

        Assert.Equal(1, arguments.Count);
        Assert.True(arguments.TryGetValue("amount", out var amount));
        Assert.Equal(400m, amount.GetDecimal());
    }

    [Fact]
    public void Deferred_reading_keeps_the_cap_and_the_unreadable_marker()
    {
        var many = Enumerable.Range(0, PassportToolArguments.MaxArguments + 5).Select(i => new KeyValuePair<string, object?>($"a{i}", i));
        var cycle = new List<object>();
        cycle.Add(cycle);

        Assert.False(PassportToolArgumentReader.Read(many, NumberAmount).IsComplete);
        Assert.False(PassportToolArgumentReader.Read([new("bad", cycle)], NumberAmount).IsComplete);
    }

    [Fact]
    public async Task Concurrent_first_reads_see_one_reading()
    {
        var arguments = PassportToolArgumentReader.Read([new("amount", "400"), new("dest", "JFK")], NumberAmount);

        var counts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => arguments.Count)));

        Assert.All(counts, c => Assert.Equal(2, c));
    }
}
