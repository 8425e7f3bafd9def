using BenchmarkDotNet.Attributes;
using IdentityBroker.Policies;

namespace IdentityBroker.Benchmarks;

/// <summary>IAM evaluation of a parsed 10-statement permission policy with conditions and policy variables.</summary>
[MemoryDiagnoser]
public class PolicyEvaluationBenchmarks
{
    // Ten statements: per-user S3 prefixes and DynamoDB leading keys through ${cognito-identity.amazonaws.com:sub},
    // IP, time, transport and multi-valued conditions, and two Deny statements that must be checked before any Allow wins.
    private const string Policy = """
        {"Version":"2012-10-17","Statement":[
         {"Sid":"ListOwnPrefix","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::app-bucket",
          "Condition":{"StringLike":{"s3:prefix":["private/${cognito-identity.amazonaws.com:sub}/*"]}}},
         {"Sid":"OwnObjects","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject"],
          "Resource":"arn:aws:s3:::app-bucket/private/${cognito-identity.amazonaws.com:sub}/*"},
         {"Sid":"PublicRead","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::app-bucket/public/*"},
         {"Sid":"OwnRows","Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:Query","dynamodb:PutItem"],
          "Resource":"arn:aws:dynamodb:us-east-1:000000000000:table/UserData",
          "Condition":{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["${cognito-identity.amazonaws.com:sub}"]}}},
         {"Sid":"FromOffice","Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:000000000000:api/*",
          "Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.0.0/16"]}}},
         {"Sid":"BusinessHours","Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:000000000000:jobs",
          "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2099-01-01T00:00:00Z"}}},
         {"Sid":"Telemetry","Effect":"Allow","Action":["mobileanalytics:PutEvents","cognito-sync:*"],"Resource":"*"},
         {"Sid":"AuthenticatedOnly","Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:000000000000:function:app-*",
          "Condition":{"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}},
         {"Sid":"NoInsecure","Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},
         {"Sid":"NoOthers","Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::app-bucket","arn:aws:s3:::app-bucket/*"]}
        ]}
        """;

    private PolicyDocument _policy = null!;
    private PolicyRequest _allowed = null!;
    private PolicyRequest _implicitDeny = null!;

    [GlobalSetup]
    public void Setup()
    {
        var parsed = PolicyParser.Parse(Policy, PolicyKind.Permission);
        _policy = parsed.IsSuccess ? parsed.Value : throw new InvalidOperationException(parsed.Error!.Message);
        const string sub = "us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
        var context = new ConditionContext()
            .Set("cognito-identity.amazonaws.com:sub", sub)
            .Set("cognito-identity.amazonaws.com:amr", ["authenticated", "idp.example.com"])
            .Set("aws:SourceIp", "10.1.2.3")
            .Set("aws:SecureTransport", "true")
            .Set("aws:CurrentTime", "2026-11-27T10:00:00Z")
            .Set("dynamodb:LeadingKeys", [sub]);
        _allowed = new PolicyRequest("dynamodb:Query", "arn:aws:dynamodb:us-east-1:000000000000:table/UserData", null, context);
        _implicitDeny = new PolicyRequest("s3:GetObject", "arn:aws:s3:::app-bucket/private/someone-else/file", null, context);
        if (!PolicyEvaluator.Evaluate(_policy, _allowed).IsAllowed || PolicyEvaluator.Evaluate(_policy, _implicitDeny).IsAllowed)
        {
            throw new InvalidOperationException("The benchmark policy does not decide as intended.");
        }
    }

    /// <summary>Allowed by the 4th statement; both Deny statements are still evaluated.</summary>
    [Benchmark]
    public bool EvaluateAllowed() => PolicyEvaluator.Evaluate(_policy, _allowed).IsAllowed;

    /// <summary>No statement matches: every statement and its conditions are evaluated.</summary>
    [Benchmark]
    public bool EvaluateImplicitDeny() => PolicyEvaluator.Evaluate(_policy, _implicitDeny).IsAllowed;
}
