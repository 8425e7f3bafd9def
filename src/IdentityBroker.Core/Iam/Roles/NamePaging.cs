using System.Text;
using IdentityBroker.Errors;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Iam.Roles;

/// <summary>
/// Marker/MaxItems paging over items listed by name (IAM's order, case-insensitive). The marker is the opaque encoding of
/// the last name returned, so pages stay stable when items are added or removed in between.
/// </summary>
internal static class NamePaging
{
    public const int DefaultMaxItems = 100;

    public static Result<(IReadOnlyList<T> Items, string? NextMarker)> Page<T>(IEnumerable<T> items, Func<T, string> name, string? marker, int? maxItems)
    {
        string? after = null;
        if (marker is not null)
        {
            after = Decode(marker);
            if (after is null)
            {
                return IamErrors.Validation("Invalid Marker.");
            }
        }

        var ordered = items.OrderBy(name, StringComparer.OrdinalIgnoreCase)
            .Where(i => after is null || StringComparer.OrdinalIgnoreCase.Compare(name(i), after) > 0)
            .ToList();
        var size = maxItems ?? DefaultMaxItems;
        if (ordered.Count <= size)
        {
            return (ordered, null);
        }

        var page = ordered.GetRange(0, size);
        return (page, Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(name(page[^1]))));
    }

    private static string? Decode(string marker)
    {
        try
        {
            return Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(marker));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
