using System.Diagnostics;
using System.Diagnostics.Metrics;
using IdentityBroker.Errors;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Observability;

/// <summary>
/// The broker's own series beyond the calls (those are counted by the edge's call observer on the same meter,
/// <see cref="MeterName"/>): credentials issued, login token validations, JWKS fetches, SAML replays refused
/// (docs/metrics.md). Labels are the broker's own bounded words, or configured names (pool id, role ARN) under a
/// <see cref="LabelValueCap"/>; never an identity id, a token or anything else from a request.
/// </summary>
/// <remarks>
/// Cost: each record is a <see cref="TagList"/> on the stack and, with no listener (<c>Broker:Metrics:Enabled</c> false),
/// returns after the instrument's enabled check.
/// </remarks>
public sealed class BrokerMetrics
{
    public const string MeterName = "IdentityBroker";
    public const string CredentialsIssuedName = "identitybroker.credentials.issued";
    public const string TokenValidationsName = "identitybroker.token.validations";
    public const string JwksFetchesName = "identitybroker.jwks.fetches";
    public const string SamlReplaysRefusedName = "identitybroker.saml.replays.refused";
    public const string VerifiedTokenCacheName = "identitybroker.verified_token_cache";

    /// <summary>The <c>outcome</c> of a success, on every series that has one.</summary>
    public const string Success = "success";

    private readonly Counter<long> _credentials;
    private readonly Counter<long> _validations;
    private readonly Counter<long> _jwksFetches;
    private readonly Counter<long> _samlReplays;
    private readonly Counter<long> _verifiedTokens;
    private readonly LabelValueCap _pools;
    private readonly LabelValueCap _roles;
    private readonly LabelValueCap _reasons;

    public BrokerMetrics(IMeterFactory meters, IOptions<BrokerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(options);
        var meter = meters.Create(MeterName);
        _credentials = meter.CreateCounter<long>(CredentialsIssuedName, "{credential}", "AWS credentials issued by GetCredentialsForIdentity, by identity pool and role");
        _validations = meter.CreateCounter<long>(TokenValidationsName, "{validation}", "Logins tokens checked, by provider kind and outcome (success or the failure reason)");
        _jwksFetches = meter.CreateCounter<long>(JwksFetchesName, "{fetch}", "Discovery documents and JWK Sets fetched from identity providers, by source and outcome");
        _samlReplays = meter.CreateCounter<long>(SamlReplaysRefusedName, "{assertion}", "SAML assertions refused as replays");
        _verifiedTokens = meter.CreateCounter<long>(
            VerifiedTokenCacheName, "{lookup}", "Signature checks of JWTs answered from the verified-token cache (hit) or done (miss)");
        var limit = options.Value.Metrics.MaxLabelValues;
        _pools = new LabelValueCap(limit);
        _roles = new LabelValueCap(limit);
        _reasons = new LabelValueCap(limit);
    }

    public void CredentialsIssued(string poolId, string roleArn)
    {
        if (_credentials.Enabled)
        {
            _credentials.Add(1, new TagList { { "pool", _pools.Of(poolId) }, { "role", _roles.Of(roleArn) } });
        }
    }

    /// <param name="providerKind">A <see cref="Federation.LoginProviderKind"/> constant.</param>
    /// <param name="error">Null when the token passed.</param>
    public void TokenValidated(string providerKind, AwsError? error)
    {
        if (_validations.Enabled)
        {
            _validations.Add(1, new TagList { { "provider.kind", providerKind }, { "outcome", Outcome(error) } });
        }
    }

    /// <param name="source"><c>discovery</c> (an OpenID Connect discovery document and its JWKS) or <c>jwks</c> (a fixed JWK Set URL).</param>
    public void JwksFetched(string source, bool succeeded)
    {
        if (_jwksFetches.Enabled)
        {
            _jwksFetches.Add(1, new TagList { { "source", source }, { "outcome", succeeded ? Success : "failure" } });
        }
    }

    public void SamlReplayRefused() => _samlReplays.Add(1);

    /// <summary>One signature check with the verified-token cache on: answered from it, or done.</summary>
    public void VerifiedTokenCacheLookup(bool hit)
    {
        if (_verifiedTokens.Enabled)
        {
            _verifiedTokens.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));
        }
    }

    /// <summary>The failure reason when the error carries one (a login token's failed check), else its AWS type.</summary>
    private string Outcome(AwsError? error) => error is null ? Success : _reasons.Of(error.Reason ?? error.Type);
}
