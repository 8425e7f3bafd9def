using System.Globalization;
using System.Xml;
using IdentityBroker.Protocol.Query;

namespace IdentityBroker.Iam.Roles;

/// <summary>Writes the IAM Role shape as IAM does; policy documents are URL-encoded (RFC 3986) as IAM returns them.</summary>
internal static class RoleXml
{
    public static void WriteRole(XmlWriter w, IamRole role, string element = "Role", bool withLastUsed = false)
    {
        w.WriteStartElement(element);
        w.WriteElementString("Path", role.Path);
        w.WriteElementString("RoleName", role.RoleName);
        w.WriteElementString("RoleId", role.RoleId);
        w.WriteElementString("Arn", role.Arn);
        QueryXml.WriteTimestamp(w, "CreateDate", role.CreateDate);
        w.WriteElementString("AssumeRolePolicyDocument", EncodeDocument(role.AssumeRolePolicyDocument));
        if (role.Description is { } description)
        {
            w.WriteElementString("Description", description);
        }

        w.WriteElementString("MaxSessionDuration", role.MaxSessionDuration.ToString(CultureInfo.InvariantCulture));
        if (withLastUsed)
        {
            w.WriteStartElement("RoleLastUsed");
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    public static string EncodeDocument(string document) => Uri.EscapeDataString(document);

    public static void WritePage(XmlWriter w, string listElement, IEnumerable<Action<XmlWriter>> members, string? nextMarker)
    {
        w.WriteStartElement(listElement);
        foreach (var member in members)
        {
            member(w);
        }

        w.WriteEndElement();
        w.WriteElementString("IsTruncated", nextMarker is null ? "false" : "true");
        if (nextMarker is not null)
        {
            w.WriteElementString("Marker", nextMarker);
        }
    }
}
