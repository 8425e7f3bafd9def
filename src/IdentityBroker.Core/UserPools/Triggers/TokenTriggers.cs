using System.Text.Json.Nodes;
using IdentityBroker.Errors;
using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Tokens;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.Triggers;

/// <summary>
/// The pre token generation trigger (Cognito developer guide, "Pre token generation Lambda trigger"). V1_0: version "1",
/// response <c>claimsOverrideDetails</c> (ID token claims, groups). V2_0 and V3_0: version "2"/"3", the request also
/// carries the access token's <c>scopes</c>; response <c>claimsAndScopeOverrideDetails</c> with <c>idTokenGeneration</c>,
/// <c>accessTokenGeneration</c> (claims and scopesToAdd/scopesToSuppress) and <c>groupOverrideDetails</c>.
/// </summary>
public sealed class TokenTriggers(TriggerInvoker invoker)
{
    public const string Authentication = "TokenGeneration_Authentication";
    public const string RefreshTokens = "TokenGeneration_RefreshTokens";
    public const string NewPasswordChallenge = "TokenGeneration_NewPasswordChallenge";

    /// <summary>Tokens of the hosted UI and the OAuth endpoints (an authorization code, the implicit grant).</summary>
    public const string HostedAuth = "TokenGeneration_HostedAuth";

    /// <summary>A client_credentials grant at /oauth2/token; only a V3_0 function is called for it.</summary>
    public const string ClientCredentials = "TokenGeneration_ClientCredentials";

    /// <summary>The grant as the pool's function changes it; the grant itself when the pool has no such trigger.</summary>
    public async Task<Result<TokenGrant>> ApplyAsync(UserPool pool, PoolUser user, TokenGrant grant, string source, CancellationToken cancellationToken,
        TriggerInputs? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(grant);
        if (pool.Settings.LambdaConfig?.TokenGeneration is not { } function)
        {
            return grant;
        }

        var v1 = function.LambdaVersion == TokenEventVersions.V1;
        var request = (inputs ?? TriggerInputs.None).WithClientMetadata(new JsonObject
        {
            ["userAttributes"] = LifecycleTriggers.UserAttributes(user),
            ["groupConfiguration"] = new JsonObject
            {
                ["groupsToOverride"] = Strings(grant.Groups.Groups),
                ["iamRolesToOverride"] = Strings(grant.Groups.Roles),
                ["preferredRole"] = grant.Groups.PreferredRole,
            },
        });
        if (!v1)
        {
            request["scopes"] = Strings(grant.EffectiveScopes);
        }

        var member = v1 ? "claimsOverrideDetails" : "claimsAndScopeOverrideDetails";
        var call = new TriggerCall("PreTokenGeneration", source, user.Username, grant.Client.ClientId, request, new JsonObject { [member] = null })
        {
            Version = v1 ? "1" : function.LambdaVersion == TokenEventVersions.V2 ? "2" : "3",
        };
        var reply = await invoker.InvokeAsync(pool, function.LambdaArn, call, cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return reply.Error!;
        }

        return reply.Value[member] switch
        {
            null => grant,
            JsonObject details => Applied(grant, details, v1),
            _ => TriggerErrors.Unrecognizable,
        };
    }

    /// <summary>
    /// A machine token's scopes and access-token claims as a V3_0 function changes them (developer guide, "Pre token
    /// generation Lambda trigger": V3_0 adds machine-to-machine client credentials grants). There is no user: the event's
    /// <c>userName</c> is the client id (the token's <c>sub</c>; the broker's choice), <c>userAttributes</c> is empty and
    /// the groups are empty. V1_0 and V2_0 functions are not called.
    /// </summary>
    public async Task<Result<MachineGrant>> ApplyMachineAsync(UserPool pool, UserPoolClient client, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(scopes);
        var unchanged = new MachineGrant(scopes, ClaimsChange.None);
        if (pool.Settings.LambdaConfig?.TokenGeneration is not { LambdaVersion: TokenEventVersions.V3 } function)
        {
            return unchanged;
        }

        var request = new JsonObject
        {
            ["userAttributes"] = new JsonObject(),
            ["groupConfiguration"] = new JsonObject { ["groupsToOverride"] = new JsonArray(), ["iamRolesToOverride"] = new JsonArray(), ["preferredRole"] = null },
            ["scopes"] = Strings(scopes),
        };
        var call = new TriggerCall("PreTokenGeneration", ClientCredentials, client.ClientId, client.ClientId, request,
            new JsonObject { ["claimsAndScopeOverrideDetails"] = null }) { Version = "3" };
        var reply = await invoker.InvokeAsync(pool, function.LambdaArn, call, cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return reply.Error!;
        }

        if (reply.Value["claimsAndScopeOverrideDetails"] is not JsonObject details)
        {
            return reply.Value["claimsAndScopeOverrideDetails"] is null ? unchanged : TriggerErrors.Unrecognizable;
        }

        var accessDetails = details["accessTokenGeneration"] as JsonObject;
        if (Claims(accessDetails) is not { } access)
        {
            return TriggerErrors.Unrecognizable;
        }

        return new MachineGrant(accessDetails is null ? scopes : ChangedScopes(scopes, accessDetails), access);
    }

    private static List<string> ChangedScopes(IEnumerable<string> scopes, JsonObject accessDetails)
    {
        var suppress = List(accessDetails["scopesToSuppress"]);
        return [.. scopes.Concat(List(accessDetails["scopesToAdd"])).Distinct(StringComparer.Ordinal).Where(s => !suppress.Contains(s))];
    }

    private static Result<TokenGrant> Applied(TokenGrant grant, JsonObject details, bool v1)
    {
        var id = Claims(v1 ? details : details["idTokenGeneration"] as JsonObject);
        var accessDetails = v1 ? null : details["accessTokenGeneration"] as JsonObject;
        var access = Claims(accessDetails);
        if (id is null || access is null)
        {
            return TriggerErrors.Unrecognizable;
        }

        var scopes = accessDetails is null ? grant.EffectiveScopes : ChangedScopes(grant.EffectiveScopes, accessDetails);

        return grant with
        {
            Scopes = scopes,
            Groups = Groups(grant.Groups, details["groupOverrideDetails"] as JsonObject),
            ClaimsOverride = new TokenClaimsOverride(id, access),
        };
    }

    /// <summary>claimsToAddOrOverride and claimsToSuppress; null when they are not the documented types.</summary>
    private static ClaimsChange? Claims(JsonObject? generation)
    {
        if (generation is null)
        {
            return ClaimsChange.None;
        }

        var add = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (generation["claimsToAddOrOverride"])
        {
            case null:
                break;
            case JsonObject claims:
                foreach (var (name, value) in claims)
                {
                    add[name] = value?.ToJsonString() ?? "null";
                }

                break;
            default:
                return null;
        }

        return generation["claimsToSuppress"] is null or JsonArray ? new ClaimsChange(add, List(generation["claimsToSuppress"])) : null;
    }

    /// <summary>groupOverrideDetails: each member given replaces the claim; a member left out keeps it.</summary>
    private static GroupClaims Groups(GroupClaims current, JsonObject? details) => details is null
        ? current
        : new GroupClaims(
            details.ContainsKey("groupsToOverride") ? List(details["groupsToOverride"]) : current.Groups,
            details.ContainsKey("iamRolesToOverride") ? List(details["iamRolesToOverride"]) : current.Roles,
            details.ContainsKey("preferredRole") ? Text(details["preferredRole"]) : current.PreferredRole);

    private static List<string> List(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(Text).OfType<string>()] : [];

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}

/// <summary>A client_credentials grant after pre token generation: its scopes and the access-token claims to change.</summary>
public sealed record MachineGrant(IReadOnlyList<string> Scopes, ClaimsChange Access);
