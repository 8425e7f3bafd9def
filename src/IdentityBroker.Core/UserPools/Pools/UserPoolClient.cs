namespace IdentityBroker.UserPools.Pools;

/// <summary>
/// An app client of a user pool, as CreateUserPoolClient makes it and DescribeUserPoolClient returns it.
/// </summary>
/// <param name="ClientId">26 lower-case letters and digits, as Cognito's client ids.</param>
/// <param name="ClientSecret">Generated when the request asked for one (GenerateSecret); Cognito returns it on every describe.</param>
public sealed record UserPoolClient(
    string UserPoolId,
    string ClientId,
    string? ClientSecret,
    UserPoolClientSettings Settings,
    DateTimeOffset CreationDate,
    DateTimeOffset LastModifiedDate);

/// <summary>
/// The settings CreateUserPoolClient and UpdateUserPoolClient both carry; UpdateUserPoolClient replaces them all (a setting
/// it leaves out returns to its default, as the Cognito API reference warns).
/// </summary>
public sealed record UserPoolClientSettings(
    string ClientName,
    int RefreshTokenValidity,
    int? AccessTokenValidity,
    int? IdTokenValidity,
    TokenValidityUnits? TokenValidityUnits,
    IReadOnlyList<string>? ExplicitAuthFlows,
    IReadOnlyList<string>? CallbackURLs,
    IReadOnlyList<string>? LogoutURLs,
    IReadOnlyList<string>? AllowedOAuthFlows,
    IReadOnlyList<string>? AllowedOAuthScopes,
    bool AllowedOAuthFlowsUserPoolClient,
    string PreventUserExistenceErrors,
    bool EnableTokenRevocation)
{
    /// <summary>Cognito's default refresh token validity: 30 days.</summary>
    public const int DefaultRefreshTokenValidity = 30;

    /// <summary>The API reference: PreventUserExistenceErrors is LEGACY when the request leaves it out.</summary>
    public const string DefaultPreventUserExistenceErrors = "LEGACY";

    /// <summary>The API reference (UserPoolClientType): AuthSessionValidity, in minutes, is 3 when the request leaves it out.</summary>
    public const int DefaultAuthSessionValidity = 3;

    /// <summary>
    /// AuthSessionValidity: minutes (3–15, model AuthSessionValidityType) a sign-in Session between two challenge calls
    /// stays valid; null (a client stored before it was kept) is the default.
    /// </summary>
    public int? AuthSessionValidity { get; init; }

    /// <summary>How long this client's sign-in Sessions live.</summary>
    public TimeSpan SignInSessionValidity => TimeSpan.FromMinutes(AuthSessionValidity ?? DefaultAuthSessionValidity);

    /// <summary>RefreshTokenRotation; null (a client created or updated without it) is rotation DISABLED.</summary>
    public RefreshTokenRotation? RefreshTokenRotation { get; init; }

    /// <summary>The identity providers the hosted pages offer (COGNITO and the pool's provider names); null for none.</summary>
    public IReadOnlyList<string>? SupportedIdentityProviders { get; init; }
}

/// <summary>
/// RefreshTokenRotationType. Enabled: GetTokensFromRefreshToken answers a new refresh token and the one it replaces stays
/// valid for <see cref="RetryGracePeriodSeconds"/> more (0: none), for client-side retries (API reference, RefreshTokenRotationType).
/// </summary>
public sealed record RefreshTokenRotation(string Feature, int RetryGracePeriodSeconds)
{
    public const string Enabled = "ENABLED";

    public bool IsEnabled => Feature == Enabled;
}

/// <summary>TokenValidityUnitsType: the unit of each token validity (seconds, minutes, hours, days).</summary>
public sealed record TokenValidityUnits(string? AccessToken, string? IdToken, string? RefreshToken);
