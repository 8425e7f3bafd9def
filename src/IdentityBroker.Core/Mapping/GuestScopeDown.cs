namespace IdentityBroker.Mapping;

/// <summary>
/// The inline session policy Cognito passes to STS for unauthenticated identities in the enhanced flow (Amazon Cognito Developer Guide, "Identity pools authentication flow", the
/// developer guide's list of services guests are limited to). Effective guest permissions are the role's policies ∩ this
/// policy, so a guest role that allows, say, <c>iam:*</c> still gives guests no IAM access. Cognito also attaches the managed
/// policy <c>AmazonCognitoUnAuthedIdentitiesSessionPolicy</c>; the broker does not: the embedded STS cannot know AWS managed
/// policies, and leaving it out only narrows what guests get (a few rum/geo actions). The classic flow gets no scope-down.
/// </summary>
public static class GuestScopeDown
{
    /// <summary>The allowed actions, in the order the Amazon Cognito Developer Guide lists them.</summary>
    public static readonly IReadOnlyList<string> Actions =
    [
        "cloudwatch:*", "logs:*", "dynamodb:*", "kinesis:*", "mobileanalytics:*", "s3:*", "ses:*", "sns:*", "sqs:*", "lambda:*",
        "machinelearning:*", "execute-api:*", "iot:*", "gamelift:*", "cognito-identity:*", "cognito-idp:*", "lex:*", "polly:*",
        "comprehend:*", "translate:*", "transcribe:*", "rekognition:*", "mobiletargeting:*", "firehose:*", "appsync:*",
        "personalize:*", "sagemaker:InvokeEndpoint", "cognito-sync:*", "codewhisperer:*", "textract:DetectDocumentText",
        "textract:AnalyzeDocument", "sdb:*", "geo:*", "sumerian:View*",
        "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptTo", "kms:ReEncryptFrom", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext",
    ];

    /// <summary>The session policy document (well under STS's 2,048-character limit).</summary>
    public static readonly string Policy =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
        + string.Join(",", Actions.Select(a => $"\"{a}\""))
        + "],\"Resource\":\"*\"}]}";
}
