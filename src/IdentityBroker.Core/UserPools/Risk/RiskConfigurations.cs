namespace IdentityBroker.UserPools.Risk;

/// <summary>The user events a compromised-credentials check can run at (CompromisedCredentialsEventFilterType).</summary>
public static class RiskEvents
{
    public const string SignIn = "SIGN_IN";
    public const string PasswordChange = "PASSWORD_CHANGE";
    public const string SignUp = "SIGN_UP";

    public static IReadOnlyList<string> All { get; } = [SignIn, PasswordChange, SignUp];
}

/// <summary>
/// CompromisedCredentialsRiskConfigurationType. EventFilter left out means every event (API reference:
/// "Defaults to all events"); EventAction is BLOCK or NO_ACTION.
/// </summary>
public sealed record CompromisedCredentialsRisk(IReadOnlyList<string>? EventFilter, string EventAction)
{
    public const string Block = "BLOCK";
    public const string NoAction = "NO_ACTION";

    public bool Blocks(string riskEvent) => EventAction == Block && (EventFilter ?? RiskEvents.All).Contains(riskEvent);
}

/// <summary>
/// A pool's risk configurations: the pool-wide one and one per app client (SetRiskConfiguration with a ClientId); a
/// client's own configuration replaces the pool's for calls through that client, as in Cognito.
/// </summary>
public sealed record RiskConfigurations(CompromisedCredentialsRisk? Pool, IReadOnlyDictionary<string, CompromisedCredentialsRisk>? Clients)
{
    public static RiskConfigurations Empty { get; } = new(null, null);

    public CompromisedCredentialsRisk? For(string? clientId) =>
        clientId is not null && Clients?.GetValueOrDefault(clientId) is { } own ? own : Pool;

    public RiskConfigurations With(string? clientId, CompromisedCredentialsRisk? risk)
    {
        if (clientId is null)
        {
            return this with { Pool = risk };
        }

        var clients = new Dictionary<string, CompromisedCredentialsRisk>(Clients ?? new Dictionary<string, CompromisedCredentialsRisk>(), StringComparer.Ordinal);
        if (risk is null)
        {
            clients.Remove(clientId);
        }
        else
        {
            clients[clientId] = risk;
        }

        return this with { Clients = clients };
    }
}
