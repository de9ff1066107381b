using System.Reflection;

namespace AgentPassport.Tests.Verification;

public sealed class PolicyPerAudienceTests
{
    [Fact]
    public void PolicyForAnotherAudience_KeepsEveryOtherRequirement()
    {
        // Guards against drift: a requirement added to VerificationPolicy must also be copied for per-agent audiences,
        // or a kernel with its own audience would silently verify against a weaker policy.
        var policy = new VerificationPolicy(["https://a.example", "https://b.example"], "https://tools.example/")
        {
            RequireIal = 2,
            RequireAal = 3,
            RequireFal = 1,
            RequiredScope = "flights:book",
            AllowWildcardScope = true,
            ClockSkew = TimeSpan.FromSeconds(5),
            AllowedAlgorithms = new HashSet<string> { "ES256", "PS256" },
            MaxChainDepth = 3,
            MaxTokenBytes = 4096,
            MaxLifetime = TimeSpan.FromHours(2),
        };
        var other = policy.WithAudience("https://carol.example/");

        Assert.Equal("https://carol.example/", other.Audience);
        foreach (var property in typeof(VerificationPolicy).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != nameof(VerificationPolicy.Audience)))
        {
            var expected = property.GetValue(policy);
            var actual = property.GetValue(other);
            if (expected is System.Collections.IEnumerable e && expected is not string)
            {
                Assert.Equal(e.Cast<object>().OrderBy(x => x.ToString()), ((System.Collections.IEnumerable)actual!).Cast<object>().OrderBy(x => x.ToString()));
            }
            else
            {
                Assert.Equal(expected, actual);
            }
        }
    }
}
