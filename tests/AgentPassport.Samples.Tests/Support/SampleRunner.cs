using System.Diagnostics;
using System.Reflection;

namespace AgentPassport.Samples.Tests.Support;

/// <summary>
/// Runs a built sample as a user would (<c>dotnet samples/X/bin/&lt;Configuration&gt;/net10.0/X.dll</c>) and captures its output.
/// The samples are built before this project (project references without the assembly).
/// </summary>
internal static class SampleRunner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public static string RepositoryRoot { get; } = FindRoot();

    public static string Configuration { get; } =
        typeof(SampleRunner).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SamplesConfiguration").Value!;

    public static async Task<SampleRun> RunAsync(string sample)
    {
        string dll = Path.Combine(RepositoryRoot, "samples", sample, "bin", Configuration, "net10.0", sample + ".dll");
        Assert.True(File.Exists(dll), $"The sample is not built: {dll}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        start.ArgumentList.Add(dll);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{sample} did not finish within {Timeout.TotalSeconds} s.");
        }

        return new SampleRun(sample, process.ExitCode, await stdout, await stderr, watch.Elapsed);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentPassport.SemanticKernel.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AgentPassport.SemanticKernel.sln not found above " + AppContext.BaseDirectory);
    }
}
