namespace IdentityBroker.Mapping;

/// <summary>
/// The SAML <c>https://aws.amazon.com/SAML/Attributes/Role</c> attribute: values of comma-separated (role ARN, provider
/// ARN) pairs in either order (IAM User Guide, "Configuring SAML assertions for the authentication response"). Only
/// pairs naming the login's own SAML provider count.
/// </summary>
public static class SamlRoles
{
    public const string RoleAttribute = "https://aws.amazon.com/SAML/Attributes/Role";

    public static IReadOnlyList<string>? RolesFor(MappingLogin login)
    {
        ArgumentNullException.ThrowIfNull(login);
        if (login.Claim(RoleAttribute) is not { } values)
        {
            return null;
        }

        var roles = new List<string>(values.Count);
        foreach (var value in values)
        {
            var parts = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                continue;
            }

            var role = parts.FirstOrDefault(p => p.Contains(":role/", StringComparison.Ordinal));
            var provider = parts.FirstOrDefault(p => p.Contains(":saml-provider/", StringComparison.Ordinal));
            if (role is not null && provider == login.ProviderKey && !roles.Contains(role))
            {
                roles.Add(role);
            }
        }

        return roles;
    }
}
