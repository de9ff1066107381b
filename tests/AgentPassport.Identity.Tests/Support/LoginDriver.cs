using System.Net;

namespace AgentPassport.Identity.Tests.Support;

/// <summary>Stands in for the browser in login tests: receives the authorization URL and does something with it.</summary>
internal sealed class LoginDriver : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = true }) { Timeout = TimeSpan.FromSeconds(10) };
    private readonly TaskCompletionSource<Uri> _url = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets the authorization URL once the login showed it.</summary>
    public Task<Uri> Url => _url.Task;

    /// <summary>Gets the background browser work, to observe its failures.</summary>
    public Task Browsing { get; private set; } = Task.CompletedTask;

    public List<HttpStatusCode> Statuses { get; } = [];

    /// <summary>Options whose "browser" runs <paramref name="browse"/> in the background.</summary>
    public LoopbackLoginOptions Options(Func<Uri, Task> browse, string redirect = "http://127.0.0.1:0/callback", TimeSpan? timeout = null) => new()
    {
        RedirectUri = new Uri(redirect),
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
        ShowUrl = url => _url.TrySetResult(url),
        OpenBrowser = url =>
        {
            Browsing = Task.Run(() => browse(url));
            return true;
        },
    };

    /// <summary>A browser that follows the authorization URL to the end (the mock provider approves at once).</summary>
    public async Task FollowAsync(Uri url)
    {
        using var response = await _http.GetAsync(url);
        Statuses.Add(response.StatusCode);
    }

    public async Task GetAsync(string url)
    {
        using var response = await _http.GetAsync(url);
        Statuses.Add(response.StatusCode);
    }

    public static string Query(Uri url, string name) =>
        url.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).First(p => p[0] == name)[1] is var v ? Uri.UnescapeDataString(v) : string.Empty;

    public static string Redirect(Uri url) => Query(url, "redirect_uri");

    public void Dispose() => _http.Dispose();
}
