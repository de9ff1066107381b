using Microsoft.AspNetCore.Authentication;

namespace AgentPassport.AspNetCore;

/// <summary>Configures the Agent Passport authentication handler. Checked when the scheme's options are first built.</summary>
public sealed class PassportAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The default cap on the JSON body read for a call's arguments.</summary>
    public const int DefaultMaxArgumentBodyBytes = 64 * 1024;

    private int _maxArgumentBodyBytes = DefaultMaxArgumentBodyBytes;

    /// <summary>Gets or sets this resource's audience: every leaf must be issued for it. Null uses the authorizer policy's audience.</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether <c>Authorization</c> is kept for the server's own OAuth: then only the
    /// <c>Agent-Passport</c> header carries a Passport and <c>Authorization: Bearer</c> is never read.
    /// </summary>
    /// <value>
    /// Default false: <c>Authorization</c> carries a Passport too, so when present it must be one <c>Bearer &lt;leaf&gt;</c>
    /// (another scheme is a malformed credential). Set true when the server uses <c>Authorization</c> for anything else.
    /// </value>
    public bool ReserveAuthorizationHeader { get; set; }

    /// <summary>Gets or sets the authorizer; when null, the <see cref="PassportAuthorizer"/> registered in the services.</summary>
    public PassportAuthorizer? Authorizer { get; set; }

    /// <summary>
    /// Gets or sets the most bytes of a JSON request body read for the call's arguments (route values and query are read
    /// too). A larger or unreadable body gives the authorizer no arguments, so any check that needs them denies.
    /// </summary>
    /// <value>Default 64 KiB; 0..1 MiB.</value>
    public int MaxArgumentBodyBytes
    {
        get => _maxArgumentBodyBytes;
        set => _maxArgumentBodyBytes = value is >= 0 and <= 1024 * 1024
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxArgumentBodyBytes), value, "The argument body cap must be 0..1048576 bytes.");
    }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (Audience is not null && string.IsNullOrWhiteSpace(Audience))
        {
            throw new InvalidOperationException("PassportAuthenticationOptions.Audience must not be blank: set this resource's audience or leave it null for the policy's.");
        }
    }
}
