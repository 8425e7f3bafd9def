namespace IdentityBroker.Protocol.Signing;

/// <summary>
/// Which request headers a signature must cover. AWS's rule (IAM User Guide, "Create a signed AWS API request": the
/// canonical headers must include host and "any x-amz-* headers that you plan to include in your request"): a header
/// outside SignedHeaders can be changed by anyone who replays the request. For the broker this matters most for
/// <c>X-Amz-Target</c>, which names the JSON 1.1 operation: unsigned, a captured DescribeIdentityPool could be replayed
/// as DeleteIdentityPool with the same body. Content-Type is not required, as AWS front ends do not require it (every SDK
/// signs it anyway): the broker chooses nothing by it that the signed target, query and body leave open. <c>x-amzn-*</c>
/// (e.g. x-amzn-trace-id, which every SDK leaves unsigned) is another prefix and not covered.
/// </summary>
internal static class SignedHeaderRules
{
    private const string AmzPrefix = "x-amz-";

    /// <summary>
    /// A presigned URL signs its payload hash in the URL, so S3 clients may send x-amz-content-sha256 beside it unsigned,
    /// and AWS accepts that. The broker binds a sent hash to the body in any case (it must equal the body's SHA-256).
    /// </summary>
    private const string ContentSha256 = "x-amz-content-sha256";

    public static bool Signs(string signedHeaders, string name)
    {
        var names = signedHeaders.AsSpan();
        foreach (var range in names.Split(';'))
        {
            // Exact names only: the canonical request matches them the same way, so a padded name signs no header's value.
            if (names[range].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first x-amz-* header present in the request but not signed (lower case), or null when every one is.</summary>
    public static string? FirstUnsignedAmzHeader(SignedRequest request, string signedHeaders, bool isPresigned)
    {
        foreach (var (name, _) in request.Headers)
        {
            if (!name.StartsWith(AmzPrefix, StringComparison.OrdinalIgnoreCase)
                || (isPresigned && name.Equals(ContentSha256, StringComparison.OrdinalIgnoreCase))
                || Signs(signedHeaders, name))
            {
                continue;
            }

            return name.ToLowerInvariant();
        }

        return null;
    }
}
