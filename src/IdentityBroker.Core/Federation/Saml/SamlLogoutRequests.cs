using System.Globalization;
using System.Xml;
using IdentityBroker.Errors;

namespace IdentityBroker.Federation.Saml;

/// <summary>An IdP's LogoutRequest that passed every check of <see cref="SamlLogoutRequests"/>.</summary>
/// <param name="SessionIndexes">The request's SessionIndex values; empty: every session of the NameID (SAML Core §3.7.3.2).</param>
/// <param name="ValidUntil">After this instant the request is never accepted; its replay record must outlive it.</param>
public sealed record ValidatedLogoutRequest(string Id, string NameId, IReadOnlyList<string> SessionIndexes, DateTimeOffset ValidUntil)
{
    public override string ToString() => "ValidatedLogoutRequest";
}

/// <summary>
/// Checks an IdP-initiated samlp:LogoutRequest (SAML Core §3.7.1, the Single Logout profile, SAML Profiles §4.4.4.1):
/// signed by the IdP (by the HTTP-Redirect binding's query signature, already checked by the caller, or by an enveloped
/// signature of the request, HTTP-POST; §4.4.4.1 requires the request to be authenticated), issued by the IdP's entity
/// id, <c>Destination</c> the pool's logout endpoint (required of a signed message, SAML Bindings §3.4.5.2, §3.5.5.2), an
/// <c>IssueInstant</c> at most <see cref="Lifetime"/> old and a <c>NotOnOrAfter</c> (when present) not passed, both with
/// the clock skew, and exactly one plain-text NameID (no BaseID or EncryptedID). Each failure names the check, never
/// the message's content.
/// </summary>
public static class SamlLogoutRequests
{
    /// <summary>How long after its IssueInstant a LogoutRequest is accepted (it is delivered by the browser at once).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private const int MaxCharacters = 100_000;

    /// <param name="signedByBinding">The redirect binding's signature over the query was verified; else an enveloped signature is required.</param>
    public static Result<ValidatedLogoutRequest> Check(
        string xml, SamlMetadata idp, string destination, DateTimeOffset now, TimeSpan skew, bool signedByBinding)
    {
        ArgumentNullException.ThrowIfNull(idp);
        var document = SafeXml.Load(xml, MaxCharacters, out var problem);
        if (document?.DocumentElement is not { } root)
        {
            return Refuse($"The SAML logout request could not be read: {problem}.");
        }

        if (root.LocalName != "LogoutRequest" || root.NamespaceURI != SamlNames.Protocol || root.GetAttribute("Version") != "2.0")
        {
            return Refuse("The message is not a SAML 2.0 LogoutRequest.");
        }

        var failure = CheckId(root)
            ?? (signedByBinding ? null : SamlLogoutResponses.EnvelopedSignature(document, root, idp))
            ?? CheckIssuer(root, idp)
            ?? (root.GetAttribute("Destination") != destination ? "The LogoutRequest Destination is not this user pool's logout endpoint." : null);
        if (failure is not null)
        {
            return Refuse(failure);
        }

        var validUntil = CheckTimes(root, now, skew);
        if (!validUntil.IsSuccess)
        {
            return validUntil.Error!;
        }

        var nameId = ReadNameId(root);
        return nameId.Failure is not null
            ? Refuse(nameId.Failure)
            : Result<ValidatedLogoutRequest>.Ok(new ValidatedLogoutRequest(root.GetAttribute("ID"), nameId.Value!, SessionIndexes(root), validUntil.Value));
    }

    /// <summary>
    /// The request's Issuer, read before any check only to find the provider whose certificates then verify it (the value
    /// decides nothing by itself); null when the message is unreadable or has no single Issuer.
    /// </summary>
    public static string? IssuerOf(string xml)
    {
        var root = SafeXml.Load(xml, MaxCharacters, out _)?.DocumentElement;
        var issuers = root is null ? [] : SamlMetadata.Children(root, SamlNames.Assertion, "Issuer").ToList();
        return issuers.Count == 1 ? issuers[0].InnerText.Trim() : null;
    }

    private static string? CheckId(XmlElement root)
    {
        try
        {
            XmlConvert.VerifyNCName(root.GetAttribute("ID"));
            return null;
        }
        catch (XmlException)
        {
            return "The LogoutRequest has no valid ID.";
        }
    }

    private static string? CheckIssuer(XmlElement root, SamlMetadata idp)
    {
        var issuers = SamlMetadata.Children(root, SamlNames.Assertion, "Issuer").ToList();
        return issuers.Count == 1 && issuers[0].InnerText.Trim() == idp.EntityId ? null : "The LogoutRequest Issuer is not the SAML provider's entity id.";
    }

    /// <summary>IssueInstant within <see cref="Lifetime"/> (± skew), NotOnOrAfter not passed; the earlier end is the request's.</summary>
    private static Result<DateTimeOffset> CheckTimes(XmlElement root, DateTimeOffset now, TimeSpan skew)
    {
        if (Time(root, "IssueInstant") is not { } issued)
        {
            return Refuse("The LogoutRequest has no valid IssueInstant.");
        }

        var end = issued + Lifetime;
        if (root.HasAttribute("NotOnOrAfter"))
        {
            if (Time(root, "NotOnOrAfter") is not { } notOnOrAfter)
            {
                return Refuse("The LogoutRequest NotOnOrAfter is not a valid time.");
            }

            end = notOnOrAfter < end ? notOnOrAfter : end;
        }

        if (issued > now + skew)
        {
            return Refuse("The LogoutRequest was issued in the future (IssueInstant).");
        }

        return now >= end + skew ? Refuse("The LogoutRequest has expired (IssueInstant or NotOnOrAfter).") : Result<DateTimeOffset>.Ok(end + skew);
    }

    private static DateTimeOffset? Time(XmlElement element, string name) =>
        DateTimeOffset.TryParse(element.GetAttribute(name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;

    /// <summary>As the assertion's: exactly one NameID, its whole text (every text node, whatever comments split it).</summary>
    private static (string? Value, string? Failure) ReadNameId(XmlElement root)
    {
        if (SamlMetadata.Children(root, SamlNames.Assertion, "EncryptedID").Any() || SamlMetadata.Children(root, SamlNames.Assertion, "BaseID").Any())
        {
            return (null, "Only a plain NameID is supported in a LogoutRequest.");
        }

        var nameIds = SamlMetadata.Children(root, SamlNames.Assertion, "NameID").ToList();
        if (nameIds.Count != 1 || nameIds[0].ChildNodes.OfType<XmlElement>().Any())
        {
            return (null, "The LogoutRequest must have exactly one NameID holding text only.");
        }

        var text = string.Concat(nameIds[0].ChildNodes.OfType<XmlCharacterData>()
            .Where(n => n is XmlText or XmlCDataSection or XmlSignificantWhitespace or XmlWhitespace).Select(n => n.Value)).Trim();
        return text.Length is 0 or > 1024 ? (null, "The NameID is empty or longer than 1024 characters.") : (text, null);
    }

    private static List<string> SessionIndexes(XmlElement root) =>
        [.. SamlMetadata.Children(root, SamlNames.Protocol, "SessionIndex").Select(e => e.InnerText.Trim()).Where(s => s.Length > 0)];

    private static AwsError Refuse(string reason) => new("invalid_request", reason);
}
