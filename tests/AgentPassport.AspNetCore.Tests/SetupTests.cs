using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentPassport.AspNetCore.Tests;

/// <summary>A configuration that cannot be secured is refused at setup.</summary>
public sealed class SetupTests
{
    [Fact]
    public async Task The_scheme_without_an_authorizer_fails_at_startup_saying_what_to_do()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
        builder.Services.AddAuthentication().AddAgentPassport();
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("services.AddAgentPassport", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("flights:*")]
    [InlineData("*")]
    [InlineData("")]
    public void A_pattern_or_empty_scope_is_refused_when_the_endpoint_is_declared(string scope)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var app = builder.Build();

        Assert.ThrowsAny<ArgumentException>(() => app.MapGet("/x", () => "x").RequirePassportScope(scope));
        Assert.ThrowsAny<ArgumentException>(() => new RequirePassportScopeAttribute(scope));
    }
}
