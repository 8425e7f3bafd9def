using System.Security.Cryptography;
using System.Text;
using System.Xml;
using IdentityBroker.Errors;
using IdentityBroker.Pools;
using IdentityBroker.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using IdentityBroker.Observability;

namespace IdentityBroker.Federation.Saml;

/// <summary>The signed-in subject of a valid ACS response: its NameID and attributes (name → values).</summary>
public sealed record SamlSubject(string NameId, IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes)
{
    /// <summary>The first AuthnStatement's SessionIndex; empty when the IdP sent none.</summary>
    public string SessionIndex { get; init; } = string.Empty;

    public override string ToString() => "SamlSubject";
}

/// <summary>
/// Validates a base64 SAMLResponse sent under a Logins key that is one of the pool's SamlProviderARNs. In order: size and
/// encoding; safe parsing (no DTD); structure (one Assertion, unique IDs, signatures only where allowed); the signature of
/// the Response or the Assertion with a certificate of the provider's metadata; status, issuer, subject confirmation,
/// conditions and audience on <see cref="TimeProvider"/>; replay policy. Data is read only from the verified elements.
/// Every failure is NotAuthorizedException "Invalid login token. …" naming the failed check, never the response content.
/// </summary>
public sealed partial class SamlLoginValidator : ILoginValidator
{
    /// <summary>The Logins value limit of the Cognito model (IdentityProviderToken, 50,000) bounds the base64 text.</summary>
    public const int MaxTokenLength = 50_000;

    private const int MaxDocumentCharacters = 100_000;

    private readonly SamlProviderDirectory _directory;
    private readonly SamlReplayGuard _replay;
    private readonly SamlOptions _options;
    private readonly BrokerIssuer? _issuer;
    private readonly TimeProvider _time;

    public SamlLoginValidator(
        SamlProviderDirectory directory,
        SamlReplayGuard replay,
        IOptions<BrokerOptions> options,
        TimeProvider time,
        BrokerIssuer? issuer = null,
        ILogger<SamlLoginValidator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _directory = directory;
        _replay = replay;
        _options = options.Value.Saml;
        _time = time;
        _issuer = issuer;
        if (_options.AllowSha1)
        {
            LogSha1Allowed(logger ?? NullLogger<SamlLoginValidator>.Instance);
        }
    }

    public async ValueTask<bool> HandlesAsync(IdentityPool pool, string providerKey, CancellationToken cancellationToken) =>
        await ProviderForAsync(pool, providerKey, cancellationToken).ConfigureAwait(false) is not null;

    public async ValueTask<Result<ValidatedLogin>> ValidateAsync(IdentityPool pool, string providerKey, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var trusted = await ProviderForAsync(pool, providerKey, cancellationToken).ConfigureAwait(false);
        if (trusted is null)
        {
            return CognitoErrors.UnsupportedProvider();
        }

        var now = _time.GetUtcNow();
        if (now >= trusted.Provider.ValidUntil)
        {
            return Refuse("The SAML provider's metadata is no longer valid (ValidUntil has passed).");
        }

        var checkedResponse = Check(token, trusted, now);
        if (checkedResponse.Failure is not null)
        {
            return Refuse(checkedResponse.Failure);
        }

        var (data, signatureValue) = checkedResponse.Value!.Value;
        var replay = await _replay.CheckAsync(pool.IdentityPoolId, providerKey, data, signatureValue, now, cancellationToken).ConfigureAwait(false);
        if (replay is not null)
        {
            return Refuse(replay);
        }

        // Cognito's amr entry for a SAML login is not documented; this form is inferred from the OIDC one (docs/saml.md).
        return new ValidatedLogin(providerKey, data.NameId, $"{providerKey}:SAML:{data.NameId}", data.Attributes) { ExpiresAt = data.SessionNotOnOrAfter };
    }

    /// <summary>
    /// A SAMLResponse posted to a user pool's ACS (Cognito developer guide, "SAML identity providers"): the same checks as
    /// a Logins response, with the pool's entity id as the only audience and its ACS URL as the only recipient. Unlike
    /// Logins, an ACS response signs a browser in, so every assertion is single-use: a second post of it is a replay.
    /// </summary>
    /// <param name="inResponseTo">The ID of the AuthnRequest sent for this sign-in (SP-initiated); null for an IdP-initiated one.</param>
    /// <param name="decryptionKeys">
    /// The provider requires encrypted assertions (its <c>EncryptedResponses</c>): the keys to decrypt with. The assertion
    /// must then arrive encrypted, and is decrypted before every other check; null: an encrypted assertion is refused.
    /// </param>
    public async ValueTask<Result<SamlSubject>> ValidateAcsAsync(
        SamlMetadata idp, string audience, string acsUrl, string providerKey, string token, CancellationToken cancellationToken,
        string? inResponseTo = null, IReadOnlyList<RSA>? decryptionKeys = null)
    {
        ArgumentNullException.ThrowIfNull(idp);
        ArgumentNullException.ThrowIfNull(token);
        var now = _time.GetUtcNow();
        if (idp.ValidUntil is { } until && now >= until)
        {
            return Refuse("The SAML provider's metadata is no longer valid (ValidUntil has passed).");
        }

        var expect = new SamlExpectations(idp.EntityId, new HashSet<string>(StringComparer.Ordinal) { audience },
            new HashSet<string>(StringComparer.Ordinal) { acsUrl }, now, _options.ClockSkew) { InResponseTo = inResponseTo };
        var checkedResponse = Check(token, idp, expect, decryptionKeys);
        if (checkedResponse.Failure is not null)
        {
            return Refuse(checkedResponse.Failure);
        }

        var (data, signatureValue) = checkedResponse.Value!.Value;
        var replay = await _replay.CheckAsync(audience, providerKey, data with { OneTimeUse = true }, signatureValue, now, cancellationToken).ConfigureAwait(false);
        return replay is not null ? Refuse(replay) : new SamlSubject(data.NameId, data.Attributes) { SessionIndex = data.SessionIndex };
    }

    private ((SamlAssertionData Data, string SignatureValue)? Value, string? Failure) Check(string token, TrustedSamlProvider trusted, DateTimeOffset now) =>
        Check(token, trusted.Metadata, Expectations(trusted, now));

    private ((SamlAssertionData Data, string SignatureValue)? Value, string? Failure) Check(
        string token, SamlMetadata metadata, SamlExpectations expectations, IReadOnlyList<RSA>? decryptionKeys = null)
    {
        var xml = Decode(token);
        if (xml is null)
        {
            return (null, "The SAML response is not base64-encoded UTF-8 of acceptable size.");
        }

        var document = SafeXml.Load(xml, MaxDocumentCharacters, out var problem);
        if (document is null)
        {
            return (null, $"The SAML response could not be read: {problem}.");
        }

        string? responseSignature = null;
        if (decryptionKeys is not null)
        {
            var decrypted = Decrypt(document, metadata, decryptionKeys);
            if (decrypted.Failure is not null)
            {
                return (null, decrypted.Failure);
            }

            (document, responseSignature) = (decrypted.Document!, decrypted.ResponseSignature);
        }

        var (verified, failure) = SamlDocument.Verify(document, metadata.SigningCertificates, _options.AllowSha1, responseSignature);
        if (verified is null)
        {
            return (null, failure);
        }

        var (data, ruleFailure) = SamlAssertionRules.Check(verified, expectations);
        return data is null ? (null, ruleFailure) : ((data, verified.SignatureValue), null);
    }

    /// <summary>
    /// An encrypted response (Cognito: with EncryptedResponses, an unencrypted assertion is refused): the Response's own
    /// signature, when it has one, is over the ciphertext and is verified first; then the assertion is decrypted.
    /// </summary>
    private (XmlDocument? Document, string? ResponseSignature, string? Failure) Decrypt(XmlDocument document, SamlMetadata metadata, IReadOnlyList<RSA> keys)
    {
        if (!SamlEncryptedAssertion.IsPresent(document))
        {
            return (null, null, "The SAML provider requires encrypted assertions, and the assertion is not encrypted.");
        }

        var (responseSignature, signatureFailure) = SamlDocument.VerifyBeforeDecryption(document, metadata.SigningCertificates, _options.AllowSha1);
        if (signatureFailure is not null)
        {
            return (null, null, signatureFailure);
        }

        var (decrypted, failure) = SamlEncryptedAssertion.Decrypt(document, keys, MaxDocumentCharacters);
        return (decrypted, responseSignature, failure);
    }

    private SamlExpectations Expectations(TrustedSamlProvider trusted, DateTimeOffset now)
    {
        var audiences = new HashSet<string>(_options.Audiences, StringComparer.Ordinal) { SamlOptions.AmazonAudience };
        var recipients = new HashSet<string>(_options.Recipients.Count > 0 ? _options.Recipients : [SamlOptions.AmazonRecipient], StringComparer.Ordinal);
        if (_issuer is { IsResolved: true })
        {
            recipients.Add(_issuer.Url + "/saml");
        }

        return new SamlExpectations(trusted.Metadata.EntityId, audiences, recipients, now, _options.ClockSkew);
    }

    private static string? Decode(string token)
    {
        if (token.Length is 0 or > MaxTokenLength)
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(Convert.FromBase64String(token));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return null;
        }
    }

    private async ValueTask<TrustedSamlProvider?> ProviderForAsync(IdentityPool pool, string providerKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.SamlProviderARNs?.Contains(providerKey, StringComparer.Ordinal) == true
            ? await _directory.FindByArnAsync(providerKey, cancellationToken).ConfigureAwait(false)
            : null;
    }

    private static AwsError Refuse(string reason) => CognitoErrors.InvalidLoginToken(reason);

    [LoggerMessage(EventId = LogEvents.SamlSha1Allowed, Level = LogLevel.Warning,
        Message = "Broker:Saml:AllowSha1 is on: SAML responses signed with SHA-1 are accepted. This is unsafe; turn it off once the IdP signs with SHA-256.")]
    private static partial void LogSha1Allowed(ILogger logger);
}
