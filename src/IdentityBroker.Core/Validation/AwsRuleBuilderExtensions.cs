using FluentValidation;

namespace IdentityBroker.Validation;

/// <summary>
/// FluentValidation rules for model constraints. Each rule names its member by the AWS wire path (camelCase of the
/// model member name: the front end lower-cases only the first letter, so <c>RoleARN</c> is <c>roleARN</c>).
/// </summary>
internal static class AwsRuleBuilderExtensions
{
    public static IRuleBuilderOptionsConditions<T, string?> ModelString<T>(this IRuleBuilderInitial<T, string?> rule, string path,
        StringShape shape, bool required = false) =>
        rule.Custom((value, context) => ModelChecks.String(context, path, value, shape, required));

    public static IRuleBuilderOptionsConditions<T, int?> ModelInteger<T>(this IRuleBuilderInitial<T, int?> rule, string path,
        IntegerShape shape, bool required = false) =>
        rule.Custom((value, context) => ModelChecks.Integer(context, path, value, shape, required));

    public static IRuleBuilderOptionsConditions<T, long?> ModelLong<T>(this IRuleBuilderInitial<T, long?> rule, string path,
        IntegerShape shape, bool required = false) =>
        rule.Custom((value, context) => ModelChecks.Long(context, path, value, shape, required));

    public static IRuleBuilderOptionsConditions<T, bool?> ModelRequired<T>(this IRuleBuilderInitial<T, bool?> rule, string path) =>
        rule.Custom((value, context) => ModelChecks.Required(context, path, value));

    public static IRuleBuilderOptionsConditions<T, List<string>?> ModelStringList<T>(this IRuleBuilderInitial<T, List<string>?> rule,
        string path, CountShape count, StringShape item, bool required = false) =>
        rule.Custom((value, context) => ModelChecks.StringList(context, path, value, count, item, required));

    public static IRuleBuilderOptionsConditions<T, Dictionary<string, string>?> ModelStringMap<T>(
        this IRuleBuilderInitial<T, Dictionary<string, string>?> rule, string path, CountShape count, StringShape key,
        StringShape value, bool required = false) =>
        rule.Custom((map, context) => ModelChecks.StringMap(context, path, map, count, key, value, required));
}
