using FluentValidation;
using FluentValidation.Results;

namespace IdentityBroker.Validation;

/// <summary>
/// One check per kind of model constraint. Each failed constraint of a scalar member is its own error, as AWS reports
/// it (aws-sdk-cpp #1085: <c>Value '' at 'identityId'</c> fails both the length and the pattern, two errors).
/// A map reports at most one error for its keys and one for its values, each listing every constraint of the key or
/// value shape in brackets. Nothing is allocated unless a check fails.
/// </summary>
internal static class ModelChecks
{
    public static void Fail<T>(ValidationContext<T> context, string path, string message) =>
        context.AddFailure(new ValidationFailure(path, message));

    public static void Required<T, TValue>(ValidationContext<T> context, string path, TValue? value)
    {
        if (value is null)
        {
            Fail(context, path, Echo.Null(path));
        }
    }

    public static void MissingIfRequired<T>(ValidationContext<T> context, string path, bool required)
    {
        if (required)
        {
            Fail(context, path, Echo.Null(path));
        }
    }

    public static void String<T>(ValidationContext<T> context, string path, string? value, StringShape shape, bool required)
    {
        if (value is null)
        {
            MissingIfRequired(context, path, required);
            return;
        }

        if (shape.IsTooLong(value))
        {
            Fail(context, path, Show(value, path, shape, shape.MaxText!));
        }

        if (shape.IsTooShort(value))
        {
            Fail(context, path, Show(value, path, shape, shape.MinText!));
        }

        if (shape.FailsPattern(value))
        {
            Fail(context, path, Show(value, path, shape, shape.PatternText!));
        }
    }

    public static void Integer<T>(ValidationContext<T> context, string path, int? value, IntegerShape shape, bool required)
    {
        if (value is not { } number)
        {
            MissingIfRequired(context, path, required);
            return;
        }

        if (number > shape.Max)
        {
            Fail(context, path, Echo.Shown(number.ToString(System.Globalization.CultureInfo.InvariantCulture), path, shape.MaxText));
        }

        if (number < shape.Min)
        {
            Fail(context, path, Echo.Shown(number.ToString(System.Globalization.CultureInfo.InvariantCulture), path, shape.MinText));
        }
    }

    public static void Long<T>(ValidationContext<T> context, string path, long? value, IntegerShape shape, bool required)
    {
        if (value is not { } number)
        {
            MissingIfRequired(context, path, required);
            return;
        }

        var shown = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (number > shape.Max)
        {
            Fail(context, path, Echo.Shown(shown, path, shape.MaxText));
        }

        if (number < shape.Min)
        {
            Fail(context, path, Echo.Shown(shown, path, shape.MinText));
        }
    }

    public static void Enum<T>(ValidationContext<T> context, string path, string? value, EnumShape shape, bool required)
    {
        if (value is null)
        {
            MissingIfRequired(context, path, required);
            return;
        }

        if (!shape.Contains(value))
        {
            Fail(context, path, Echo.Shown(Echo.Text(value), path, shape.Text));
        }
    }

    /// <summary>A list of enum values: one error for the list, its members' constraint in brackets.</summary>
    public static void EnumList<T>(ValidationContext<T> context, string path, List<string>? list, EnumShape item,
        CountShape? count = null)
    {
        if (list is not null && count is not null)
        {
            Count(context, path, list.Count, count, echoed: true, list, null);
        }

        if (list is not null && list.Any(value => value is null || !item.Contains(value)))
        {
            Fail(context, path, Echo.Shown(Echo.List(list), path, Constraint.ListMembers(Constraint.Bracket(item.Text))));
        }
    }

    public static void StringList<T>(ValidationContext<T> context, string path, List<string>? list, CountShape count,
        StringShape item, bool required)
    {
        if (list is null)
        {
            MissingIfRequired(context, path, required);
            return;
        }

        Count(context, path, list.Count, count, echoed: true, list, null);
        foreach (var value in list)
        {
            // A null item cannot satisfy its shape; AWS's wording for it was not observed, so it gets the same bracket.
            if (value is null || !item.Accepts(value))
            {
                Fail(context, path, Echo.Shown(Echo.List(list), path, Constraint.ListMembers(item.AllConstraints)));
                return;
            }
        }
    }

    public static void StringMap<T>(ValidationContext<T> context, string path, Dictionary<string, string>? map,
        CountShape count, StringShape key, StringShape value, bool required)
    {
        if (map is null)
        {
            MissingIfRequired(context, path, required);
            return;
        }

        // A map holding sensitive values is never printed, whatever part of it failed.
        var echoed = !value.Sensitive;
        Count(context, path, map.Count, count, echoed, null, map);
        var badKey = false;
        var badValue = false;
        foreach (var (entryKey, entryValue) in map)
        {
            badKey |= !key.Accepts(entryKey);
            badValue |= entryValue is null || !value.Accepts(entryValue);
        }

        if (badKey)
        {
            Fail(context, path, ShowMap(map, echoed, path, Constraint.MapKeys(key.AllConstraints)));
        }

        if (badValue)
        {
            Fail(context, path, ShowMap(map, echoed, path, Constraint.MapValues(value.AllConstraints)));
        }
    }

    /// <summary>Keys of a map whose values are structures; such maps are not echoed (no evidence of how AWS prints them).</summary>
    public static void StructureMapKeys<T, TValue>(ValidationContext<T> context, string path, Dictionary<string, TValue> map,
        CountShape count, StringShape key)
    {
        Count(context, path, map.Count, count, echoed: false, null, null);
        foreach (var entryKey in map.Keys)
        {
            if (!key.Accepts(entryKey))
            {
                Fail(context, path, Echo.Hidden(path, Constraint.MapKeys(key.AllConstraints)));
                return;
            }
        }
    }

    /// <summary>Item count of a list or map; structure collections are not echoed.</summary>
    public static void Count<T>(ValidationContext<T> context, string path, int items, CountShape shape, bool echoed,
        List<string>? list, Dictionary<string, string>? map)
    {
        if (shape.Max is { } max && items > max)
        {
            Fail(context, path, ShowCollection(path, shape.MaxText!, echoed, list, map));
        }

        if (shape.Min is { } min && items < min)
        {
            Fail(context, path, ShowCollection(path, shape.MinText!, echoed, list, map));
        }
    }

    private static string ShowCollection(string path, string constraint, bool echoed, List<string>? list,
        Dictionary<string, string>? map)
    {
        if (!echoed || (list is null && map is null))
        {
            return Echo.Hidden(path, constraint);
        }

        return Echo.Shown(list is not null ? Echo.List(list) : Echo.Map(map), path, constraint);
    }

    private static string ShowMap(Dictionary<string, string> map, bool echoed, string path, string constraint) =>
        echoed ? Echo.Shown(Echo.Map(map), path, constraint) : Echo.Hidden(path, constraint);

    private static string Show(string shownValue, string path, StringShape shape, string constraint) =>
        shape.Sensitive ? Echo.Hidden(path, constraint) : Echo.Shown(Echo.Text(shownValue), path, constraint);
}
