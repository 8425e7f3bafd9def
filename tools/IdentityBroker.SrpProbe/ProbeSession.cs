using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityBroker.Errors;
using IdentityBroker.UserPools.Srp;

namespace IdentityBroker.SrpProbe;

/// <summary>
/// The server half of USER_SRP_AUTH for one process: users with SRP verifiers, challenges handed out and not yet
/// answered. Operations (each a JSON object with "op"):
/// <list type="bullet">
/// <item>setPassword {poolId, username, password} → {ok}: derives and keeps the verifier (the password is not kept).</item>
/// <item>start {poolId, username, srpA} → {ok, challengeId, srpB, salt, secretBlock, userIdForSrp}.</item>
/// <item>verify {challengeId, secretBlock, timestamp, signature} → {ok} or {ok: false, error: {type, message}}; a
/// challenge is answered once.</item>
/// </list>
/// </summary>
public sealed class ProbeSession(TimeProvider clock)
{
    private readonly Dictionary<(string Pool, string User), SrpVerifier> _verifiers = [];
    private readonly Dictionary<string, (SrpChallenge Challenge, string Pool, string User)> _challenges = new(StringComparer.Ordinal);
    private int _nextChallenge;

    public string Handle(string line)
    {
        try
        {
            var request = JsonNode.Parse(line)?.AsObject() ?? throw new JsonException("empty request");
            var answer = (string?)request["op"] switch
            {
                "setPassword" => SetPassword(request),
                "start" => Start(request),
                "verify" => Verify(request),
                var op => Failure(new AwsError("UnknownOperationException", $"Unknown op '{op}'.")),
            };
            return answer.ToJsonString();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return Failure(new AwsError("SerializationException", e.GetType().Name)).ToJsonString();
        }
    }

    private JsonObject SetPassword(JsonObject request)
    {
        var pool = PoolName(request);
        var user = Text(request, "username");
        _verifiers[(pool, user)] = SrpVerifier.Create(pool, user, Text(request, "password"));
        return new JsonObject { ["ok"] = true };
    }

    private JsonObject Start(JsonObject request)
    {
        var pool = PoolName(request);
        var user = Text(request, "username");
        if (!_verifiers.TryGetValue((pool, user), out var verifier))
        {
            return Failure(new AwsError("UserNotFoundException", "User does not exist."));
        }

        var started = SrpServer.Start(verifier, (string?)request["srpA"]);
        if (!started.IsSuccess)
        {
            return Failure(started.Error!);
        }

        var id = (++_nextChallenge).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _challenges[id] = (started.Value, pool, user);
        return new JsonObject
        {
            ["ok"] = true,
            ["challengeId"] = id,
            ["srpB"] = started.Value.SrpB,
            ["salt"] = started.Value.Salt,
            ["secretBlock"] = started.Value.SecretBlock,
            ["userIdForSrp"] = user,
        };
    }

    private JsonObject Verify(JsonObject request)
    {
        if (!_challenges.Remove(Text(request, "challengeId"), out var issued))
        {
            return Failure(new AwsError("NotAuthorizedException", "Invalid session for the user."));
        }

        var claim = new PasswordClaim((string?)request["secretBlock"], (string?)request["timestamp"], (string?)request["signature"]);
        var verified = SrpServer.VerifyClaim(issued.Challenge, issued.Pool, issued.User, claim, clock);
        return verified.IsSuccess ? new JsonObject { ["ok"] = true } : Failure(verified.Error!);
    }

    /// <summary>The pool name of SRP is the part of the pool id after the underscore, as CognitoUserPool.getUserPoolName says.</summary>
    private static string PoolName(JsonObject request)
    {
        var poolId = Text(request, "poolId");
        var underscore = poolId.IndexOf('_', StringComparison.Ordinal);
        return underscore < 0 ? throw new FormatException("poolId") : poolId[(underscore + 1)..];
    }

    private static string Text(JsonObject request, string name) =>
        (string?)request[name] ?? throw new KeyNotFoundException(name);

    private static JsonObject Failure(AwsError error) => new()
    {
        ["ok"] = false,
        ["error"] = new JsonObject { ["type"] = error.Type, ["message"] = error.Message },
    };
}
