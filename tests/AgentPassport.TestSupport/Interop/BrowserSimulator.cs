using System.Net;
using System.Text.RegularExpressions;

namespace AgentPassport.TestSupport.Interop;

/// <summary>
/// Plays the user's browser for a login: follows redirects with cookies and submits the provider's HTML forms
/// (oidc-provider's development login and consent pages), until the provider redirects to the loopback callback.
/// </summary>
public sealed partial class BrowserSimulator : IDisposable
{
    private readonly HttpClient _http;

    public BrowserSimulator()
    {
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true, MaxAutomaticRedirections = 20 })
        {
            Timeout = TimeSpan.FromSeconds(20),
        };
    }

    /// <summary>Gets the HTML pages seen, for diagnostics.</summary>
    public List<string> Pages { get; } = [];

    /// <summary>Gets the last response's status code (the loopback callback's, when the flow completes).</summary>
    public HttpStatusCode LastStatus { get; private set; }

    public async Task RunAsync(Uri authorizationUrl, string login = "alice@example.gov")
    {
        var response = await _http.GetAsync(authorizationUrl);
        for (int step = 0; step < 6; step++)
        {
            LastStatus = response.StatusCode;
            string html = await response.Content.ReadAsStringAsync();
            Pages.Add(html);
            var form = FormRegex().Match(html);
            if (!form.Success)
            {
                return;
            }

            var action = new Uri(response.RequestMessage!.RequestUri!, WebUtility.HtmlDecode(form.Groups["action"].Value));
            var fields = new List<KeyValuePair<string, string>>();
            foreach (Match input in HiddenRegex().Matches(form.Value))
            {
                fields.Add(new(input.Groups["name"].Value, WebUtility.HtmlDecode(input.Groups["value"].Value)));
            }

            if (form.Value.Contains("name=\"login\"", StringComparison.Ordinal))
            {
                fields.Add(new("login", login));
                fields.Add(new("password", "any-password"));
            }

            response.Dispose();
            response = await _http.PostAsync(action, new FormUrlEncodedContent(fields));
        }

        LastStatus = response.StatusCode;
        response.Dispose();
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<form[^>]*action=\"(?<action>[^\"]+)\"[^>]*>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex FormRegex();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenRegex();
}
