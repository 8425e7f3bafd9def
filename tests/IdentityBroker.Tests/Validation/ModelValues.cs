using System.Collections;
using System.Reflection;

namespace IdentityBroker.Tests.Validation;

/// <summary>Where a string or collection sits in a request: a member of a structure, or a list item, map key or map value.</summary>
public enum SlotKind
{
    Member,
    ListItem,
    MapKey,
    MapValue,
}

/// <summary>
/// A place in a request that the model constrains, with a way to put a value there into a structure instance.
/// <see cref="Put"/> returns the change to apply to the top-level request built by <see cref="ModelValues.Valid"/>.
/// </summary>
public sealed record Slot(string Path, ModelShape Shape, Type Type, SlotKind Kind, bool Required, Func<object?, Action<object>> Put)
{
    /// <summary>How AWS opens the constraint of a collection element: <c>Map keys must satisfy constraint: [</c>…</summary>
    public string ElementPrefix => Kind switch
    {
        SlotKind.ListItem => "Member must satisfy constraint: ",
        SlotKind.MapKey => "Map keys must satisfy constraint: ",
        SlotKind.MapValue => "Map value must satisfy constraint: ",
        _ => string.Empty,
    };
}

/// <summary>Builds model-valid values by reflection over the request types, and lists every constrained slot.</summary>
internal static class ModelValues
{
    /// <summary>Valid examples per model string shape (the model has patterns, not examples). Checked against the model.</summary>
    private static readonly Dictionary<string, string[]> Samples = new(StringComparer.Ordinal)
    {
        ["IdentityPoolId"] = ["us-east-1:0a1b2c3d-4e5f-6789-abcd-ef0123456789"],
        ["IdentityId"] = ["us-east-1:11111111-2222-3333-4444-555555555555"],
        ["IdentityPoolName"] = ["My identity pool"],
        ["AccountId"] = ["123456789012"],
        ["DeveloperProviderName"] = ["login.example.dev"],
        ["IdentityProviderName"] = ["accounts.google.com", "graph.facebook.com", "www.amazon.com"],
        ["IdentityProviderToken"] = ["eyJhbGciOiJSUzI1NiJ9.MODEL-SECRET-TOKEN.c2ln"],
        ["IdentityProviderId"] = ["app-id.apps.googleusercontent.com"],
        ["ARNString"] = ["arn:aws:iam::123456789012:role/CognitoAuthRole"],
        ["CognitoIdentityProviderName"] = ["cognito-idp.us-east-1.amazonaws.com/us-east-1_Example"],
        ["CognitoIdentityProviderClientId"] = ["7lhlkkfbfb4q5kpp90urffao"],
        ["PaginationKey"] = ["eyJuZXh0IjoiMTAifQ=="],
        ["RoleType"] = ["authenticated", "unauthenticated"],
        ["ClaimName"] = ["cognito:groups"],
        ["ClaimValue"] = ["admins"],
        ["TagKeysType"] = ["team"],
        ["TagValueType"] = ["identity"],
        ["DeveloperUserIdentifier"] = ["user-42@example.com"],
        ["PrincipalTagID"] = ["department"],
        ["PrincipalTagValue"] = ["engineering"],
    };

    public static string Sample(ModelShape shape) =>
        shape.Enum is { } values ? values[0]
        : Samples.TryGetValue(shape.Name, out var samples) ? samples[0]
        : throw new InvalidOperationException($"No valid sample for model shape {shape.Name}; add one.");

    /// <summary>Up to <paramref name="count"/> distinct keys; valid ones first, then numbered variants of the sample.</summary>
    public static List<string> DistinctKeys(ModelShape shape, int count)
    {
        var keys = Samples.TryGetValue(shape.Name, out var samples) ? samples.Take(count).ToList() : [Sample(shape)];
        for (var i = 0; keys.Count < count; i++)
        {
            keys.Add(Sample(shape) + i);
        }

        return keys;
    }

    public static object? Valid(ModelShape shape, Type type) => shape.Type switch
    {
        "string" => Sample(shape),
        "integer" => shape.Min ?? 1,
        "long" => (long)(shape.Min ?? 1),
        "boolean" => true,
        "list" => NewList(type, Enumerable.Range(0, Math.Max(1, shape.Min ?? 1)).Select(_ => Valid(Item(shape), ElementType(type)))),
        "map" => NewMap(type, [(Sample(Key(shape)), Valid(Value(shape), ElementType(type)))]),
        "structure" => ValidStructure(shape, type),
        _ => throw new NotSupportedException($"Shape type {shape.Type} of {shape.Name}"),
    };

    /// <summary>Every constrained place under a structure, with AWS paths (<c>rules.1.member.claim</c>, <c>roleMappings.&lt;key&gt;.member.type</c>).</summary>
    public static IEnumerable<Slot> Slots(ModelShape structure, Type type, string prefix)
    {
        foreach (var (name, shapeName, required) in structure.Members)
        {
            var property = Property(type, name);
            var shape = ServiceModel.Cognito.Shape(shapeName);
            var path = prefix.Length == 0 ? Camel(name) : $"{prefix}.{Camel(name)}";
            yield return new Slot(path, shape, property.PropertyType, SlotKind.Member, required, value => target => property.SetValue(target, value));
            foreach (var slot in Inner(shape, property, path))
            {
                yield return slot;
            }
        }
    }

    public static IList NewList(Type type, IEnumerable<object?> items)
    {
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(ElementType(type)))!;
        foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    public static IDictionary NewMap(Type type, IEnumerable<(string Key, object? Value)> entries)
    {
        var map = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), ElementType(type)))!;
        foreach (var (key, value) in entries)
        {
            map[key] = value;
        }

        return map;
    }

    public static Type ElementType(Type type) => type.GetGenericArguments()[^1];

    public static ModelShape Item(ModelShape list) => ServiceModel.Cognito.Shape(list.MemberShape!);

    public static ModelShape Key(ModelShape map) => ServiceModel.Cognito.Shape(map.KeyShape!);

    public static ModelShape Value(ModelShape map) => ServiceModel.Cognito.Shape(map.ValueShape!);

    public static PropertyInfo Property(Type type, string member) =>
        type.GetProperty(member) ?? throw new InvalidOperationException($"{type.Name} has no property for model member {member}.");

    /// <summary>The front end lower-cases only the first letter (<c>RoleARN</c> → <c>roleARN</c>).</summary>
    public static string Camel(string member) => char.ToLowerInvariant(member[0]) + member[1..];

    private static IEnumerable<Slot> Inner(ModelShape shape, PropertyInfo property, string path)
    {
        var type = property.PropertyType;
        switch (shape.Type)
        {
            case "structure":
                foreach (var slot in Slots(shape, type, path))
                {
                    yield return slot with { Put = value => target => property.SetValue(target, Modified(shape, type, slot, value)) };
                }

                break;
            case "list":
                var item = Item(shape);
                if (item.Type == "structure")
                {
                    foreach (var slot in Slots(item, ElementType(type), path + ".1.member"))
                    {
                        yield return slot with { Put = value => target => property.SetValue(target, NewList(type, [Modified(item, ElementType(type), slot, value)])) };
                    }
                }
                else
                {
                    yield return new Slot(path, item, ElementType(type), SlotKind.ListItem, false,
                        value => target => property.SetValue(target, NewList(type, [Valid(item, ElementType(type)), value])));
                }

                break;
            case "map":
                var key = Key(shape);
                var valueShape = Value(shape);
                var validKey = Sample(key);
                yield return new Slot(path, key, typeof(string), SlotKind.MapKey, false,
                    value => target => property.SetValue(target, NewMap(type, [((string)value!, Valid(valueShape, ElementType(type)))])));
                if (valueShape.Type == "structure")
                {
                    foreach (var slot in Slots(valueShape, ElementType(type), $"{path}.{validKey}.member"))
                    {
                        yield return slot with { Put = value => target => property.SetValue(target, NewMap(type, [(validKey, Modified(valueShape, ElementType(type), slot, value))])) };
                    }
                }
                else
                {
                    yield return new Slot(path, valueShape, ElementType(type), SlotKind.MapValue, false,
                        value => target => property.SetValue(target, NewMap(type, [(validKey, value)])));
                }

                break;
        }
    }

    private static object Modified(ModelShape structure, Type type, Slot slot, object? value)
    {
        var instance = ValidStructure(structure, type);
        slot.Put(value)(instance);
        return instance;
    }

    private static object ValidStructure(ModelShape shape, Type type)
    {
        var instance = Activator.CreateInstance(type)!;
        foreach (var (name, shapeName, _) in shape.Members)
        {
            var property = Property(type, name);
            property.SetValue(instance, Valid(ServiceModel.Cognito.Shape(shapeName), property.PropertyType));
        }

        return instance;
    }
}
