using IdentityBroker.Errors;
using IdentityBroker.Sync;

namespace IdentityBroker.Server.Sync;

/// <summary>What a Cognito Sync path names: the operation, and the pool, identity, dataset and device ids it carries (decoded).</summary>
internal sealed record SyncTarget(string Operation, bool PoolLevel, string? PoolId, string? IdentityId, string? DatasetName, string? DeviceId);

/// <summary>
/// Cognito Sync's REST paths (cognito-sync model, each operation's requestUri) to its 17 operations. A path with an
/// invalid pool or identity id is InvalidParameterException; one no operation has is UnknownOperationException (404).
/// </summary>
internal static class SyncPaths
{
    private static readonly AwsError Unknown = new("UnknownOperationException", "No Cognito Sync operation has this method and path.", 404);

    public static Result<SyncTarget> Match(string method, string rawPath)
    {
        var parts = rawPath.Split('/', StringSplitOptions.None);
        if (parts.Length < 2 || parts[0].Length != 0 || parts[1] != "identitypools" || parts.Length > 10)
        {
            return Unknown;
        }

        string[] s;
        try
        {
            s = [.. parts.Skip(2).Select(Uri.UnescapeDataString)];
        }
        catch (UriFormatException)
        {
            return Unknown;
        }

        if (s.Length == 0)
        {
            return method == "GET" ? Pool("ListIdentityPoolUsage", null) : Unknown;
        }

        if (!SyncNames.IsIdentityId(s[0]))
        {
            return SyncErrors.InvalidParameter("IdentityPoolId must match [\\w-]+:[0-9a-f-]+ (1 to 55 characters).");
        }

        var pool = s[0];
        return (s.Length, method) switch
        {
            (1, "GET") => Pool("DescribeIdentityPoolUsage", pool),
            (2, "POST") when s[1] == "bulkpublish" => Pool("BulkPublish", pool),
            (2, "POST") when s[1] == "getBulkPublishDetails" => Pool("GetBulkPublishDetails", pool),
            (2, "GET") when s[1] == "events" => Pool("GetCognitoEvents", pool),
            (2, "POST") when s[1] == "events" => Pool("SetCognitoEvents", pool),
            (2, "GET") when s[1] == "configuration" => Pool("GetIdentityPoolConfiguration", pool),
            (2, "POST") when s[1] == "configuration" => Pool("SetIdentityPoolConfiguration", pool),
            (4, "POST") when s[1] == "identity" && s[3] == "device" => Identity("RegisterDevice", pool, s[2], null, null),
            _ when s.Length >= 3 && s[1] == "identities" => MatchIdentity(method, pool, s),
            _ => Unknown,
        };
    }

    private static Result<SyncTarget> MatchIdentity(string method, string pool, string[] s) => (s.Length, method) switch
    {
        (3, "GET") => Identity("DescribeIdentityUsage", pool, s[2], null, null),
        (4, "GET") when s[3] == "datasets" => Identity("ListDatasets", pool, s[2], null, null),
        (5, "GET") when s[3] == "datasets" => Identity("DescribeDataset", pool, s[2], s[4], null),
        (5, "DELETE") when s[3] == "datasets" => Identity("DeleteDataset", pool, s[2], s[4], null),
        (5, "POST") when s[3] == "datasets" => Identity("UpdateRecords", pool, s[2], s[4], null),
        (6, "GET") when s[3] == "datasets" && s[5] == "records" => Identity("ListRecords", pool, s[2], s[4], null),
        (7, "POST") when s[3] == "datasets" && s[5] == "subscriptions" => Identity("SubscribeToDataset", pool, s[2], s[4], s[6]),
        (7, "DELETE") when s[3] == "datasets" && s[5] == "subscriptions" => Identity("UnsubscribeFromDataset", pool, s[2], s[4], s[6]),
        _ => Unknown,
    };

    private static Result<SyncTarget> Pool(string operation, string? pool) => new SyncTarget(operation, true, pool, null, null, null);

    private static Result<SyncTarget> Identity(string operation, string pool, string identityId, string? dataset, string? device) =>
        SyncNames.IsIdentityId(identityId)
            ? new SyncTarget(operation, false, pool, identityId, dataset, device)
            : SyncErrors.InvalidParameter("IdentityId must match [\\w-]+:[0-9a-f-]+ (1 to 55 characters).");
}
