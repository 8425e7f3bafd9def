using System.Globalization;
using System.Xml;

namespace IdentityBroker.Federation.Saml;

/// <summary>What the broker accepts for one provider at one instant.</summary>
internal sealed record SamlExpectations(string EntityId, IReadOnlySet<string> Audiences, IReadOnlySet<string> Recipients, DateTimeOffset Now, TimeSpan Skew)
{
    /// <summary>The ID of the AuthnRequest the response must answer (SP-initiated sign-in); null when none was sent.</summary>
    public string? InResponseTo { get; init; }
}

/// <summary>The data of a valid assertion.</summary>
/// <param name="ValidUntil">The earliest NotOnOrAfter that applies, plus the skew: after it the assertion is never accepted.</param>
internal sealed record SamlAssertionData(
    string AssertionId, string NameId, IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes, DateTimeOffset ValidUntil, bool OneTimeUse)
{
    /// <summary>
    /// The earliest AuthnStatement SessionNotOnOrAfter (SAML Core 2.7.2): when the IdP ends the sign-in session; null when
    /// the IdP sets none. Unlike the NotOnOrAfter of the conditions, which bounds when the assertion may be presented
    /// (minutes), this bounds the session it started, as AWS STS reads it for AssumeRoleWithSAML.
    /// </summary>
    public DateTimeOffset? SessionNotOnOrAfter { get; init; }

    /// <summary>
    /// The first AuthnStatement's SessionIndex (SAML Core 2.7.2; empty when absent): the IdP session a later LogoutRequest
    /// names. Cognito matches single logout against the first AuthnStatement's, so the broker records that one.
    /// </summary>
    public string SessionIndex { get; init; } = string.Empty;
}

/// <summary>
/// The checks on a verified response (SAML Core 2.0 and the Web Browser SSO profile, SAML Profiles 4.1.4), each reading
/// only the children of the verified elements.
/// </summary>
internal static class SamlAssertionRules
{
    public static (SamlAssertionData? Data, string? Failure) Check(VerifiedResponse verified, SamlExpectations expect)
    {
        var (response, assertion) = (verified.Response, verified.Assertion);
        var failure = CheckResponse(response, expect) ?? CheckIssuer(assertion, expect, required: true) ?? CheckVersion(assertion, "assertion");
        if (failure is not null)
        {
            return (null, failure);
        }

        var nameId = ReadNameId(assertion);
        if (nameId.Failure is not null)
        {
            return (null, nameId.Failure);
        }

        var confirmation = CheckSubjectConfirmation(assertion, expect);
        if (confirmation.Failure is not null)
        {
            return (null, confirmation.Failure);
        }

        var conditions = CheckConditions(assertion, expect);
        if (conditions.Failure is not null)
        {
            return (null, conditions.Failure);
        }

        var session = CheckSessionEnd(assertion, expect);
        if (session.Failure is not null)
        {
            return (null, session.Failure);
        }

        var validUntil = Earliest(confirmation.NotOnOrAfter!.Value, conditions.NotOnOrAfter) + expect.Skew;
        var data = new SamlAssertionData(assertion.GetAttribute("ID"), nameId.Value!, ReadAttributes(assertion), validUntil, conditions.OneTimeUse)
        {
            SessionNotOnOrAfter = session.End,
            SessionIndex = Children(assertion, SamlNames.Assertion, "AuthnStatement").FirstOrDefault()?.GetAttribute("SessionIndex") ?? string.Empty,
        };
        return (data, null);
    }

    private static string? CheckResponse(XmlElement response, SamlExpectations expect)
    {
        if (CheckVersion(response, "response") is { } version)
        {
            return version;
        }

        var status = Child(response, SamlNames.Protocol, "Status");
        var code = status is null ? null : Child(status, SamlNames.Protocol, "StatusCode");
        if (code?.GetAttribute("Value") != SamlNames.Success)
        {
            return "The SAML response status is not Success.";
        }

        // SAML Core 3.2.2: a response's InResponseTo, when present, names the request it answers.
        var inResponseTo = response.GetAttribute("InResponseTo");
        if (expect.InResponseTo is { } requestId && inResponseTo.Length > 0 && inResponseTo != requestId)
        {
            return "The SAML response InResponseTo is not the request this sign-in sent.";
        }

        // SAML Bindings 3.5.5.2: a Destination, when present, must be where the response was meant to go.
        var destination = response.GetAttribute("Destination");
        if (destination.Length > 0 && !expect.Recipients.Contains(destination))
        {
            return "The SAML response Destination is not an accepted recipient.";
        }

        return CheckIssuer(response, expect, required: false);
    }

    private static string? CheckVersion(XmlElement element, string what) =>
        element.GetAttribute("Version") == "2.0" ? null : $"The {what} is not SAML version 2.0.";

    /// <summary>SAML Core 2.3.3: the assertion's Issuer is the IdP's entityID (entity format, the default).</summary>
    private static string? CheckIssuer(XmlElement element, SamlExpectations expect, bool required)
    {
        var issuers = Children(element, SamlNames.Assertion, "Issuer").ToList();
        if (issuers.Count == 0 && !required)
        {
            return null;
        }

        if (issuers.Count != 1)
        {
            return "The assertion must have exactly one Issuer.";
        }

        var format = issuers[0].GetAttribute("Format");
        var ok = (format.Length == 0 || format == SamlNames.EntityFormat) && issuers[0].InnerText.Trim() == expect.EntityId;
        return ok ? null : "The Issuer is not the SAML provider's entityID.";
    }

    /// <summary>
    /// The NameID's whole text (all its text nodes, whatever comments or processing instructions split them): reading only
    /// the first text node is how the CVE-2017-11427 family truncated <c>admin@corp.com&lt;!----&gt;.evil.com</c>.
    /// </summary>
    private static (string? Value, string? Failure) ReadNameId(XmlElement assertion)
    {
        var subject = Children(assertion, SamlNames.Assertion, "Subject").ToList();
        if (subject.Count != 1)
        {
            return (null, "The assertion must have exactly one Subject.");
        }

        if (Child(subject[0], SamlNames.Assertion, "EncryptedID") is not null)
        {
            return (null, "Encrypted NameIDs are not supported.");
        }

        var nameIds = Children(subject[0], SamlNames.Assertion, "NameID").ToList();
        if (nameIds.Count != 1 || nameIds[0].ChildNodes.OfType<XmlElement>().Any())
        {
            return (null, "The Subject must have exactly one NameID holding text only.");
        }

        var text = string.Concat(nameIds[0].ChildNodes.OfType<XmlCharacterData>().Where(n => n is XmlText or XmlCDataSection or XmlSignificantWhitespace or XmlWhitespace).Select(n => n.Value)).Trim();
        return text.Length is 0 or > 1024 ? (null, "The NameID is empty or longer than 1024 characters.") : (text, null);
    }

    /// <summary>SAML Profiles 4.1.4.2: a bearer SubjectConfirmation with Recipient and NotOnOrAfter, valid now.</summary>
    private static (DateTimeOffset? NotOnOrAfter, string? Failure) CheckSubjectConfirmation(XmlElement assertion, SamlExpectations expect)
    {
        var subject = Child(assertion, SamlNames.Assertion, "Subject")!;
        var reason = "The Subject has no bearer SubjectConfirmation.";
        foreach (var confirmation in Children(subject, SamlNames.Assertion, "SubjectConfirmation"))
        {
            if (confirmation.GetAttribute("Method") != SamlNames.Bearer)
            {
                continue;
            }

            var data = Child(confirmation, SamlNames.Assertion, "SubjectConfirmationData");
            var (until, failure) = CheckConfirmationData(data, expect);
            if (failure is null)
            {
                return (until, null);
            }

            reason = failure;
        }

        return (null, reason);
    }

    private static (DateTimeOffset? NotOnOrAfter, string? Failure) CheckConfirmationData(XmlElement? data, SamlExpectations expect)
    {
        if (data is null || !expect.Recipients.Contains(data.GetAttribute("Recipient")))
        {
            return (null, "The SubjectConfirmationData Recipient is not an accepted recipient.");
        }

        // SAML Profiles 4.1.4.2: in answer to an AuthnRequest, the bearer confirmation's InResponseTo is that request's ID.
        if (expect.InResponseTo is { } requestId && data.GetAttribute("InResponseTo") != requestId)
        {
            return (null, "The SubjectConfirmationData InResponseTo is not the request this sign-in sent.");
        }

        if (!TryTime(data, "NotOnOrAfter", out var notOnOrAfter) || notOnOrAfter is null)
        {
            return (null, "The SubjectConfirmationData has no valid NotOnOrAfter.");
        }

        if (!TryTime(data, "NotBefore", out var notBefore))
        {
            return (null, "The SubjectConfirmationData NotBefore is not a valid time.");
        }

        if (expect.Now - expect.Skew >= notOnOrAfter)
        {
            return (null, "The SAML assertion has expired (SubjectConfirmationData NotOnOrAfter).");
        }

        return notBefore is { } start && expect.Now + expect.Skew < start
            ? (null, "The SAML assertion is not yet valid (SubjectConfirmationData NotBefore).")
            : (notOnOrAfter, null);
    }

    /// <summary>SAML Core 2.5.1: the time window, every AudienceRestriction satisfied, no condition the broker does not know.</summary>
    private static (DateTimeOffset? NotOnOrAfter, bool OneTimeUse, string? Failure) CheckConditions(XmlElement assertion, SamlExpectations expect)
    {
        var all = Children(assertion, SamlNames.Assertion, "Conditions").ToList();
        if (all.Count != 1)
        {
            return (null, false, "The assertion must have exactly one Conditions element with an AudienceRestriction.");
        }

        var conditions = all[0];
        if (!TryTime(conditions, "NotBefore", out var notBefore) || !TryTime(conditions, "NotOnOrAfter", out var notOnOrAfter))
        {
            return (null, false, "The Conditions carry a time that is not valid.");
        }

        if (notBefore is { } start && expect.Now + expect.Skew < start)
        {
            return (null, false, "The SAML assertion is not yet valid (Conditions NotBefore).");
        }

        if (notOnOrAfter is { } end && expect.Now - expect.Skew >= end)
        {
            return (null, false, "The SAML assertion has expired (Conditions NotOnOrAfter).");
        }

        var (oneTimeUse, failure) = CheckConditionElements(conditions, expect);
        return (notOnOrAfter, oneTimeUse, failure);
    }

    private static (bool OneTimeUse, string? Failure) CheckConditionElements(XmlElement conditions, SamlExpectations expect)
    {
        var audienceRestrictions = 0;
        var oneTimeUse = false;
        foreach (var condition in conditions.ChildNodes.OfType<XmlElement>())
        {
            var known = condition.NamespaceURI == SamlNames.Assertion ? condition.LocalName : string.Empty;
            switch (known)
            {
                case "AudienceRestriction":
                    audienceRestrictions++;
                    if (!Children(condition, SamlNames.Assertion, "Audience").Any(a => expect.Audiences.Contains(a.InnerText.Trim())))
                    {
                        return (false, "The assertion's AudienceRestriction does not name an accepted audience.");
                    }

                    break;
                case "OneTimeUse":
                    oneTimeUse = true;
                    break;
                case "ProxyRestriction":
                    break; // Restricts re-issuing assertions, which the broker never does.
                default:
                    return (false, "The assertion has a condition the broker does not understand (SAML Core 2.5.1.6).");
            }
        }

        return audienceRestrictions == 0 ? (false, "The assertion has no AudienceRestriction.") : (oneTimeUse, null);
    }

    /// <summary>Every Attribute of every AttributeStatement, multi-valued, as claims for role mapping.</summary>
    private static Dictionary<string, IReadOnlyList<string>> ReadAttributes(XmlElement assertion)
    {
        var claims = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var statement in Children(assertion, SamlNames.Assertion, "AttributeStatement"))
        {
            foreach (var attribute in Children(statement, SamlNames.Assertion, "Attribute"))
            {
                var name = attribute.GetAttribute("Name");
                if (name.Length == 0)
                {
                    continue;
                }

                if (!claims.TryGetValue(name, out var values))
                {
                    claims[name] = values = [];
                }

                values.AddRange(Children(attribute, SamlNames.Assertion, "AttributeValue").Select(v => v.InnerText.Trim()));
            }
        }

        return claims.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)c.Value, StringComparer.Ordinal);
    }

    /// <summary>The earliest SessionNotOnOrAfter of the AuthnStatements; a session the IdP has already ended is refused.</summary>
    private static (DateTimeOffset? End, string? Failure) CheckSessionEnd(XmlElement assertion, SamlExpectations expect)
    {
        DateTimeOffset? end = null;
        foreach (var statement in Children(assertion, SamlNames.Assertion, "AuthnStatement"))
        {
            if (!TryTime(statement, "SessionNotOnOrAfter", out var value))
            {
                return (null, "The AuthnStatement SessionNotOnOrAfter is not a valid time.");
            }

            end = value is { } v && (end is null || v < end) ? v : end;
        }

        return end is { } ended && expect.Now >= ended + expect.Skew
            ? (null, "The SAML session has ended (AuthnStatement SessionNotOnOrAfter).")
            : (end, null);
    }

    private static bool TryTime(XmlElement element, string name, out DateTimeOffset? value)
    {
        value = null;
        var text = element.GetAttribute(name);
        if (text.Length == 0)
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return false;
        }

        value = parsed;
        return true;
    }

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset? b) => b is { } other && other < a ? other : a;

    private static IEnumerable<XmlElement> Children(XmlElement parent, string ns, string localName) => SamlMetadata.Children(parent, ns, localName);

    private static XmlElement? Child(XmlElement parent, string ns, string localName) => Children(parent, ns, localName).FirstOrDefault();
}
