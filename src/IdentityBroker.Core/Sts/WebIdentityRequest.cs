using IdentityBroker.Credentials;

namespace IdentityBroker.Sts;

/// <summary>AssumeRoleWithWebIdentity parameters as received (sts.service-2.json); checked by <see cref="WebIdentityRequestRules"/>.</summary>
public sealed record WebIdentityRequest(
    string? RoleArn,
    string? RoleSessionName,
    string? WebIdentityToken,
    int? DurationSeconds,
    string? Policy = null,
    IReadOnlyList<string>? PolicyArns = null,
    string? ProviderId = null);

/// <summary>An AssumeRoleWithWebIdentity request that satisfies the model, with the default duration applied.</summary>
/// <param name="WebIdentityToken">Null only for the in-process minter, which hands the broker's claims instead.</param>
public sealed record AssumeRoleWithWebIdentity(
    string RoleArn,
    string RoleSessionName,
    string? WebIdentityToken,
    int DurationSeconds,
    string? Policy,
    IReadOnlyList<string> PolicyArns);

/// <summary>The AssumeRoleWithWebIdentity result (STS API reference, AssumeRoleWithWebIdentity).</summary>
public sealed record WebIdentityResult(
    IssuedCredentials Credentials,
    string AssumedRoleArn,
    string AssumedRoleId,
    string SubjectFromWebIdentityToken,
    string Audience,
    string Provider,
    int? PackedPolicySize,
    string? SourceIdentity);
