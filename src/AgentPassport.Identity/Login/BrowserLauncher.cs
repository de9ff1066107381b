using System.ComponentModel;
using System.Diagnostics;

namespace AgentPassport;

/// <summary>Opens a URL in the user's browser where there is one; quiet and best-effort.</summary>
internal static class BrowserLauncher
{
    public static bool TryOpen(Uri url)
    {
        try
        {
            ProcessStartInfo info;
            if (OperatingSystem.IsWindows())
            {
                info = new ProcessStartInfo(url.AbsoluteUri) { UseShellExecute = true };
            }
            else if (OperatingSystem.IsMacOS())
            {
                info = Quiet("open", url);
            }
            else if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY"))
                || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY")))
            {
                info = Quiet("xdg-open", url);
            }
            else
            {
                return false;
            }

            using var process = Process.Start(info);
            return process is not null;
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            return false;
        }
    }

    private static ProcessStartInfo Quiet(string program, Uri url)
    {
        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };

        // An argument, never a shell string: the URL cannot inject commands.
        info.ArgumentList.Add(url.AbsoluteUri);
        return info;
    }
}
