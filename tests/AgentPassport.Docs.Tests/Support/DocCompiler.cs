using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentPassport.Docs.Tests.Support;

/// <summary>
/// Compiles doc programs with Roslyn against the assemblies this test runs with: the .NET and ASP.NET Core shared
/// frameworks and every package the repository's src projects bring (the test host's trusted platform assemblies).
/// </summary>
internal static class DocCompiler
{
    /// <summary>The usings a new console project has (ImplicitUsings), so a complete program reads like one.</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    /// <summary>What a fragment's surrounding prose assumes is imported, on top of <see cref="ImplicitUsings"/>.</summary>
    private const string FragmentUsings = """
        global using AgentPassport;
        global using AgentPassport.AgentFramework;
        global using AgentPassport.AspNetCore;
        global using AgentPassport.Extensions.AI;
        global using AgentPassport.ModelContextProtocol;
        global using AgentPassport.SemanticKernel;
        global using Microsoft.Agents.AI;
        global using Microsoft.AspNetCore.Builder;
        global using Microsoft.Extensions.AI;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Logging;
        global using Microsoft.SemanticKernel;
        global using ModelContextProtocol.Server;
        """;

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp14);

    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(LoadReferences);

    /// <summary>Compiles a program; returns the formatted errors (empty when it compiles) and, on success, the assembly.</summary>
    public static (IReadOnlyList<string> Errors, byte[]? Assembly) Compile(DocProgram program)
    {
        var syntax = program.SyntaxErrors();
        if (syntax.Count > 0)
        {
            return (syntax, null);
        }

        var trees = new List<SyntaxTree>
        {
            CSharpSyntaxTree.ParseText(program.Source(), ParseOptions, path: "doc-program.cs"),
            CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, path: "implicit-usings.g.cs"),
        };
        if (!program.IsComplete)
        {
            trees.Add(CSharpSyntaxTree.ParseText(FragmentUsings, ParseOptions, path: "fragment-usings.g.cs"));
        }

        var options = new CSharpCompilationOptions(
            program.IsComplete ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            optimizationLevel: OptimizationLevel.Debug);
        var compilation = CSharpCompilation.Create("DocProgram_" + Guid.NewGuid().ToString("N"), trees, References.Value, options);
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var errors = result.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(Format)
            .ToList();
        return (errors, errors.Count == 0 ? image.ToArray() : null);
    }

    /// <summary>Runs a compiled complete program in a collectible load context; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(byte[] assembly)
    {
        var context = new AssemblyLoadContext("doc-program", isCollectible: true);
        try
        {
            var entry = context.LoadFromStream(new MemoryStream(assembly)).EntryPoint
                ?? throw new InvalidOperationException("The program has no entry point.");
            var output = new StringWriter(CultureInfo.InvariantCulture);
            var (stdout, stderr) = (Console.Out, Console.Error);
            Console.SetOut(output);
            Console.SetError(output);
            try
            {
                object?[] args = entry.GetParameters().Length == 0 ? [] : [Array.Empty<string>()];
                object? returned = await Task.Run(() => entry.Invoke(null, args));
                return (returned is int code ? code : 0, output.ToString());
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                return (-1, output + Environment.NewLine + "UNHANDLED: " + e.InnerException);
            }
            finally
            {
                Console.SetOut(stdout);
                Console.SetError(stderr);
            }
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>Runs a compiled <c>given</c> fragment with the values a test supplies for its declared parameters.</summary>
    public static async Task RunFragmentAsync(byte[] assembly, params object?[] given)
    {
        var context = new AssemblyLoadContext("doc-fragment", isCollectible: true);
        try
        {
            var run = context.LoadFromStream(new MemoryStream(assembly)).GetType("DocFragment")?.GetMethod("RunAsync", BindingFlags.Static | BindingFlags.NonPublic)
                ?? throw new InvalidOperationException("The fragment has no DocFragment.RunAsync.");
            try
            {
                await (Task)run.Invoke(null, given)!;
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            }
        }
        finally
        {
            context.Unload();
        }
    }

    private static string Format(Diagnostic d)
    {
        var span = d.Location.GetMappedLineSpan();
        string where = span.HasMappedPath || d.Location.IsInSource
            ? $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})"
            : "(no location)";
        return $"{where}: error {d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The test runner and the compiler are not something a reader's project would reference.</summary>
    private static bool IsTestMachinery(string file) =>
        new[] { "xunit", "Microsoft.CodeAnalysis", "testhost", "Microsoft.TestPlatform", "Microsoft.VisualStudio", "AgentPassport.Docs.Tests" }
            .Any(prefix => file.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    private static IReadOnlyList<MetadataReference> LoadReferences()
    {
        string list = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")
            ?? throw new InvalidOperationException("The host gives no TRUSTED_PLATFORM_ASSEMBLIES.");
        return list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && !IsTestMachinery(Path.GetFileName(p)))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => (MetadataReference)MetadataReference.CreateFromFile(g.First()))
            .ToList();
    }
}
