namespace IdentityBroker.Mapping.Expressions;

/// <summary>
/// The static types the rule checker knows (CEL's: bool, int, uint, double, string, bytes, null, list, map, timestamp,
/// duration, and <c>dyn</c> for a claim whose type only the token knows), plus the two objects of the rule environment
/// (<c>identity</c>, <c>request</c>) with their fields.
/// </summary>
public sealed record ExpressionType(string Name, IReadOnlyDictionary<string, ExpressionType>? Fields = null)
{
    public static readonly ExpressionType Dyn = new("dyn");
    public static readonly ExpressionType Bool = new("bool");
    public static readonly ExpressionType Int = new("int");
    public static readonly ExpressionType Uint = new("uint");
    public static readonly ExpressionType Double = new("double");
    public static readonly ExpressionType String = new("string");
    public static readonly ExpressionType Bytes = new("bytes");
    public static readonly ExpressionType Null = new("null_type");
    public static readonly ExpressionType List = new("list");
    public static readonly ExpressionType Map = new("map");
    public static readonly ExpressionType Timestamp = new("google.protobuf.Timestamp");
    public static readonly ExpressionType Duration = new("google.protobuf.Duration");

    public static readonly ExpressionType Identity = new("identity", new Dictionary<string, ExpressionType>
    {
        ["id"] = String,
        ["created"] = Timestamp,
        ["logins"] = List,
    });

    public static readonly ExpressionType Request = new("request", new Dictionary<string, ExpressionType>
    {
        ["sourceIp"] = String,
        ["userAgent"] = String,
    });

    /// <summary>The variables every rule expression may name.</summary>
    public static readonly IReadOnlyDictionary<string, ExpressionType> Variables = new Dictionary<string, ExpressionType>(StringComparer.Ordinal)
    {
        ["claims"] = Map,
        ["provider"] = String,
        ["identity"] = Identity,
        ["request"] = Request,
        ["now"] = Timestamp,
    };

    public bool IsDyn => ReferenceEquals(this, Dyn);

    public bool IsNumber => ReferenceEquals(this, Int) || ReferenceEquals(this, Uint) || ReferenceEquals(this, Double);

    /// <summary>True when a value of this type may be a <paramref name="wanted"/> at run time (dyn may be anything).</summary>
    public bool Fits(ExpressionType wanted) => IsDyn || wanted.IsDyn || ReferenceEquals(this, wanted);

    public override string ToString() => Name;
}
