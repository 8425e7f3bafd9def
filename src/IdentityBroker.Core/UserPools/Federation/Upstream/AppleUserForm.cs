using System.Text.Json;

namespace IdentityBroker.UserPools.Federation.Upstream;

/// <summary>
/// The <c>user</c> member Sign in with Apple posts with <c>response_mode=form_post</c> on a user's first authorization
/// (Apple, "Incorporating Sign in with Apple into other platforms": <c>{"name":{"firstName":…,"lastName":…},"email":…}</c>).
/// Apple puts the name nowhere else, so its <c>firstName</c> and <c>lastName</c> (and <c>name</c>, the two joined) join
/// the provider's attributes for AttributeMapping. The member is not signed: it is what the browser posted, so only the
/// name is taken from it, never the email (the ID token's, which Apple signs, is the email) and never over a claim the
/// ID token carries.
/// </summary>
public static class AppleUserForm
{
    /// <summary>Apple's member is a few hundred bytes; a longer one is not Apple's and is ignored.</summary>
    public const int MaxLength = 4096;

    public static ProviderUser WithName(ProviderUser user, string? posted)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Provider.ProviderType != IdentityProviderTypes.SignInWithApple || Name(posted) is not { Count: > 0 } name)
        {
            return user;
        }

        var claims = new Dictionary<string, string>(user.Claims, StringComparer.Ordinal);
        foreach (var (claim, value) in name)
        {
            claims.TryAdd(claim, value);
        }

        return user with { Claims = claims };
    }

    private static Dictionary<string, string>? Name(string? posted)
    {
        if (string.IsNullOrEmpty(posted) || posted.Length > MaxLength)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(posted, new JsonDocumentOptions { MaxDepth = 4 });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var parts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var member in new[] { "firstName", "lastName" })
            {
                if (name.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
                {
                    parts[member] = text;
                }
            }

            if (parts.Count > 0)
            {
                parts["name"] = string.Join(' ', parts.Values);
            }

            return parts;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
