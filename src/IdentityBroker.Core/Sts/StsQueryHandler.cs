using System.Globalization;
using System.Xml;
using IdentityBroker.Errors;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Query;
using IdentityBroker.Protocol.Signing;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Sts;

/// <summary>STS 2011-06-15 over the Query protocol: AssumeRoleWithWebIdentity (unsigned) and GetCallerIdentity (signed).</summary>
public sealed class StsQueryHandler(EmbeddedSts sts, IOptions<BrokerOptions> options) : IQueryActionHandler
{
    public const string AssumeRoleWithWebIdentity = "AssumeRoleWithWebIdentity";
    public const string GetCallerIdentity = "GetCallerIdentity";

    public string Version => "2011-06-15";

    public string XmlNamespace => "https://sts.amazonaws.com/doc/2011-06-15/";

    public IReadOnlyCollection<string> Actions { get; } = [AssumeRoleWithWebIdentity, GetCallerIdentity];

    public bool RequiresSignature(string action) => action != AssumeRoleWithWebIdentity;

    /// <summary>STS actions have no resource type for the caller's own session (GetCallerIdentity is never denied anyway).</summary>
    public ValueTask<IReadOnlyList<ResourceContext>> ResourcesAsync(string action, QueryRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<ResourceContext>>([ResourceContext.Any]);

    public async Task<ProtocolResponse> HandleAsync(string action, QueryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return action switch
        {
            AssumeRoleWithWebIdentity => await AssumeAsync(request, cancellationToken).ConfigureAwait(false),
            GetCallerIdentity => CallerIdentity(request),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "The dispatcher routes only the declared actions."),
        };
    }

    private async Task<ProtocolResponse> AssumeAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var bound = Bind(request);
        if (!bound.IsSuccess)
        {
            return QueryXml.Error(bound.Error!, XmlNamespace, request.RequestId);
        }

        var result = await sts.AssumeRoleWithWebIdentityAsync(bound.Value, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess
            ? QueryXml.Success(AssumeRoleWithWebIdentity, XmlNamespace, request.RequestId, w => WriteResult(w, result.Value))
            : QueryXml.Error(result.Error!, XmlNamespace, request.RequestId);
    }

    private static Result<WebIdentityRequest> Bind(QueryRequest request)
    {
        int? duration = null;
        if (request.Get("DurationSeconds") is { } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return StsErrors.Validation($"1 validation error detected: Value '{text}' at 'durationSeconds' failed to satisfy constraint: Member must be an integer");
            }

            duration = seconds;
        }

        var arns = new List<string>();
        for (var i = 1; request.Get($"PolicyArns.member.{i}.arn") is { } arn; i++)
        {
            arns.Add(arn);
        }

        return new WebIdentityRequest(
            request.Get("RoleArn"), request.Get("RoleSessionName"), request.Get("WebIdentityToken"), duration,
            request.Get("Policy"), arns, request.Get("ProviderId"));
    }

    private static void WriteResult(XmlWriter w, WebIdentityResult result)
    {
        w.WriteElementString("SubjectFromWebIdentityToken", result.SubjectFromWebIdentityToken);
        w.WriteElementString("Audience", result.Audience);
        w.WriteStartElement("AssumedRoleUser");
        w.WriteElementString("Arn", result.AssumedRoleArn);
        w.WriteElementString("AssumedRoleId", result.AssumedRoleId);
        w.WriteEndElement();
        w.WriteStartElement("Credentials");
        w.WriteElementString("AccessKeyId", result.Credentials.AccessKeyId);
        w.WriteElementString("SecretAccessKey", result.Credentials.SecretAccessKey);
        w.WriteElementString("SessionToken", result.Credentials.SessionToken);
        QueryXml.WriteTimestamp(w, "Expiration", result.Credentials.Expiration);
        w.WriteEndElement();
        if (result.PackedPolicySize is { } packed)
        {
            w.WriteElementString("PackedPolicySize", packed.ToString(CultureInfo.InvariantCulture));
        }

        w.WriteElementString("Provider", result.Provider);
        if (result.SourceIdentity is { } source)
        {
            w.WriteElementString("SourceIdentity", source);
        }
    }

    private ProtocolResponse CallerIdentity(QueryRequest request)
    {
        if (request.Caller is not { } caller)
        {
            // The dispatcher verifies the signature of every signed action; reaching here unsigned is a wiring error.
            throw new InvalidOperationException("GetCallerIdentity reached without a verified caller.");
        }

        return QueryXml.Success(GetCallerIdentity, XmlNamespace, request.RequestId, w =>
        {
            w.WriteElementString("Arn", caller.Arn);
            w.WriteElementString("UserId", caller.UserId);
            w.WriteElementString("Account", options.Value.AccountId);
        });
    }
}
