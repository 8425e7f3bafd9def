using FluentValidation;
using IdentityBroker.Pools;

namespace IdentityBroker.Validation;

/// <summary>
/// Members of nested structures. Paths follow the AWS front end's form for members inside collections: list items
/// are numbered from 1 (<c>cognitoIdentityProviders.1.member.clientId</c>, as in CodePipeline's
/// <c>pipeline.stages.2.member.actions.1.member.configuration</c>); map values are addressed by their key
/// (<c>roleMappings.&lt;key&gt;.member.type</c>). Evidence for the map form is thin: no real Cognito message with a
/// RoleMappings path was found, so it follows the list form with the key in place of the index.
/// These operations are control-plane calls, so paths are built eagerly.
/// </summary>
internal static class StructureChecks
{
    public static void CognitoIdentityProviders<T>(ValidationContext<T> context, string path,
        List<CognitoIdentityProvider>? providers)
    {
        if (providers is null)
        {
            return;
        }

        for (var i = 0; i < providers.Count; i++)
        {
            var itemPath = $"{path}.{i + 1}.member";
            if (providers[i] is not { } provider)
            {
                ModelChecks.Fail(context, itemPath, Echo.Null(itemPath));
                continue;
            }

            ModelChecks.String(context, itemPath + ".providerName", provider.ProviderName,
                CognitoShapes.CognitoIdentityProviderName, required: false);
            ModelChecks.String(context, itemPath + ".clientId", provider.ClientId,
                CognitoShapes.CognitoIdentityProviderClientId, required: false);
        }
    }

    public static void RoleMappings<T>(ValidationContext<T> context, string path, Dictionary<string, RoleMapping>? mappings)
    {
        if (mappings is null)
        {
            return;
        }

        ModelChecks.StructureMapKeys(context, path, mappings, CognitoShapes.RoleMappingMap, CognitoShapes.IdentityProviderName);
        foreach (var (key, mapping) in mappings)
        {
            var valuePath = $"{path}.{key}.member";
            if (mapping is null)
            {
                ModelChecks.Fail(context, valuePath, Echo.Null(valuePath));
                continue;
            }

            ModelChecks.Enum(context, valuePath + ".type", mapping.Type, CognitoShapes.RoleMappingType, required: true);
            ModelChecks.Enum(context, valuePath + ".ambiguousRoleResolution", mapping.AmbiguousRoleResolution,
                CognitoShapes.AmbiguousRoleResolutionType, required: false);
            if (mapping.RulesConfiguration is { } rules)
            {
                Rules(context, valuePath + ".rulesConfiguration.rules", rules.Rules);
            }
        }
    }

    private static void Rules<T>(ValidationContext<T> context, string path, IReadOnlyList<MappingRule>? rules)
    {
        if (rules is null)
        {
            ModelChecks.Fail(context, path, Echo.Null(path));
            return;
        }

        ModelChecks.Count(context, path, rules.Count, CognitoShapes.MappingRulesList, echoed: false, null, null);
        for (var i = 0; i < rules.Count; i++)
        {
            var rulePath = $"{path}.{i + 1}.member";
            if (rules[i] is not { } rule)
            {
                ModelChecks.Fail(context, rulePath, Echo.Null(rulePath));
                continue;
            }

            ModelChecks.String(context, rulePath + ".claim", rule.Claim, CognitoShapes.ClaimName, required: true);
            ModelChecks.Enum(context, rulePath + ".matchType", rule.MatchType, CognitoShapes.MappingRuleMatchType, required: true);
            ModelChecks.String(context, rulePath + ".value", rule.Value, CognitoShapes.ClaimValue, required: true);
            ModelChecks.String(context, rulePath + ".roleARN", rule.RoleARN, CognitoShapes.ArnString, required: true);
        }
    }
}
