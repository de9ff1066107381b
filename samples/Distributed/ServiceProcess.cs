using System.Diagnostics;
using System.Text;

namespace DistributedSample;

/// <summary>
/// A service child process of the orchestrator: this same built app started with a role argument. Started, it is awaited
/// until it announces its URL; disposed, it is asked to stop (stdin closed, so it seals its audit log) and killed with its
/// whole tree if it does not stop in time. Its stderr is kept to explain a failure, never echoed on success.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private ServiceProcess(string role, Process process)
    {
        Role = role;
        _process = process;
    }

    public string Role { get; }

    /// <summary>Gets the URL the service announced.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Gets the exit code once stopped.</summary>
    public int? ExitCode { get; private set; }

    public static async Task<ServiceProcess> StartAsync(string role, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ServiceProcess).Assembly.Location); // run as `dotnet Distributed.dll`
        }

        start.ArgumentList.Add(role);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var service = new ServiceProcess(role, Process.Start(start) ?? throw new InvalidOperationException($"The {role} process did not start."));
        service._process.ErrorDataReceived += (_, e) =>
        {
            lock (service._errors)
            {
                service._errors.AppendLine(e.Data);
            }
        };
        service._process.BeginErrorReadLine();
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            while (await service._process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith(SampleSettings.ReadyPrefix, StringComparison.Ordinal))
                {
                    service.Url = line[SampleSettings.ReadyPrefix.Length..];
                    _ = service._process.StandardOutput.ReadToEndAsync(); // keep draining so it never blocks on a full pipe
                    return service;
                }
            }

            throw new InvalidOperationException($"The {role} process exited before it was ready.\n{service.Errors}");
        }
        catch (OperationCanceledException)
        {
            await service.DisposeAsync();
            throw new InvalidOperationException($"The {role} process was not ready within {StartTimeout.TotalSeconds} s.\n{service.Errors}");
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>Gets what the process wrote on stderr.</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>Asks the service to stop and waits for it; kills it (and its children) if it does not stop in time.</summary>
    public async ValueTask DisposeAsync()
    {
        if (ExitCode is not null)
        {
            return;
        }

        try
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(StopTimeout);
            await _process.WaitForExitAsync(timeout.Token);
            ExitCode = _process.ExitCode;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            ExitCode = -1;
        }
        finally
        {
            _process.Dispose();
        }
    }
}
