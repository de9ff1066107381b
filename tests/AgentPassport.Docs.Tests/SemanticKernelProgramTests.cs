using AgentPassport.Docs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AgentPassport.Docs.Tests;

/// <summary>
/// The program docs/semantic-kernel.md opens with is not only compiled: it is run, as a reader would run it, and its
/// output must show the allowed call, the typed denial and the delegation tree principal → Alice → Bob → Carol.
/// </summary>
public sealed class SemanticKernelProgramTests(Xunit.Abstractions.ITestOutputHelper log)
{
    private const string ProgramId = "docs/semantic-kernel.md#semantic-kernel-program";

    [Fact]
    public async Task The_opening_program_runs_one_allowed_and_one_denied_call_and_prints_the_tree()
    {
        var program = DocSources.Program(ProgramId);
        Assert.True(program.IsComplete, $"{ProgramId} must be a complete program (no <!-- given: --> marker).");
        Assert.Single(program.Blocks);
        int first = DocSources.Programs.Where(p => p.Blocks[0].Path == "docs/semantic-kernel.md").Min(p => p.Blocks[0].FenceLine);
        Assert.True(program.Blocks[0].FenceLine == first, $"{ProgramId} must be the first C# block of the document; it starts at line {program.Blocks[0].FenceLine}, another at line {first}.");
        var (errors, assembly) = DocCompiler.Compile(program);
        Assert.True(assembly is not null, $"{program.Describe()} does not compile:\n  " + string.Join("\n  ", errors));

        var (exitCode, output) = await DocCompiler.RunAsync(assembly);

        log.WriteLine(output);
        string context = $"{program.Describe()} printed:\n{output}";
        Assert.True(exitCode == 0, $"exit code {exitCode}; " + context);
        Assert.True(output.Contains("carol -> flights.book: BOOKED SFO-JFK", StringComparison.Ordinal), context);
        Assert.True(output.Contains("carol -> hotels.book: DENIED ScopeViolation (AP0013)", StringComparison.Ordinal), context);
        string tree = output[output.IndexOf("principal", StringComparison.Ordinal)..];
        Assert.True(Ordered(tree, "principal user-123 (IAL 2)", "agent:alice", "agent:bob", "agent:carol"), context);
        string carol = tree[tree.IndexOf("agent:carol", StringComparison.Ordinal)..];
        Assert.True(carol.Contains("ALLOWED flights:book (flights.book)", StringComparison.Ordinal), context);
        Assert.True(carol.Contains("DENIED hotels:book (hotels.book): ScopeViolation AP0013", StringComparison.Ordinal), context);
        Assert.True(carol.Contains("book SFO-JFK", StringComparison.Ordinal), context);
    }

    [Fact]
    public async Task The_dependency_injection_snippet_resolves_a_kernel_that_enforces_passports()
    {
        var program = DocSources.Program("docs/semantic-kernel.md#semantic-kernel-di");
        var (errors, assembly) = DocCompiler.Compile(program);
        Assert.True(assembly is not null, $"{program.Describe()} does not compile:\n  " + string.Join("\n  ", errors));
        using var keys = new InMemoryPassportKeyStore();
        var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = "https://issuer.example", KeyStore = keys });
        var issued = issuer.Issue(new RootPassportRequest
        {
            Identity = new IdentityAssertion("https://csp.example", "user-123"), AgentId = "agent:alice", AgentModel = "gpt-x",
            Audience = "https://tools.example/", ToolScope = ["travel:flights:book"],
        });

        // The snippet throws if the container cannot give it a Kernel (AddKernel missing) or the kernel does not enforce.
        await DocCompiler.RunFragmentAsync(assembly, new ServiceCollection(), keys, issuer, "https://issuer.example",
            "https://tools.example/", PassportContext.From(issued));
    }

    private static bool Ordered(string text, params string[] parts)
    {
        int at = 0;
        foreach (string part in parts)
        {
            at = text.IndexOf(part, at, StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }
        }

        return true;
    }
}
