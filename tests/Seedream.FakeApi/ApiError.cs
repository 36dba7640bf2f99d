using System.Buffers;
using System.Text.Json;

namespace Seedream.FakeApi;

/// <summary>An error answer in the provider's shape.</summary>
internal sealed record ApiError(int Status, string Code, string Message, string Param = "")
{
    public static string DefaultCodeFor(int status) => status switch
    {
        400 => "InvalidParameter",
        401 => "AuthenticationError",
        403 => "AccessDenied",
        404 => "InvalidEndpointOrModel.NotFound",
        408 => "RequestTimeout",
        409 => "Conflict",
        429 => "RateLimitExceeded.EndpointRPMExceeded",
        500 => "InternalServiceError",
        502 => "BadGateway",
        503 => "ServerOverloaded",
        _ => status >= 500 ? "InternalServiceError" : "InvalidParameter",
    };

    public static string TypeFor(int status) => status switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        408 => "RequestTimeout",
        409 => "Conflict",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        _ => status >= 500 ? "InternalServerError" : "BadRequest",
    };

    public static string DefaultMessageFor(string code) => code switch
    {
        "AuthenticationError" => "The API key or AK/SK in the request is missing or invalid.",
        "AccessDenied" => "You do not have access to the requested resource.",
        "InvalidEndpointOrModel.NotFound" => "The model or endpoint does not exist or you do not have access to it.",
        "RequestTimeout" => "The request timed out.",
        "Conflict" => "The request conflicts with another request.",
        "RateLimitExceeded.EndpointRPMExceeded" => "The request has exceeded the RPM limit of the endpoint. Please retry later.",
        "ModelAccountIpmRateLimitExceeded" => "The request has exceeded the images-per-minute limit of the account. Please retry later.",
        "ServerOverloaded" => "The service is currently overloaded. Please retry later.",
        "InternalServiceError" => "The service encountered an unexpected internal error.",
        "BadGateway" => "The upstream service returned an invalid response.",
        "OutputImageSensitiveContentDetected" => "The generated image may contain sensitive content.",
        _ => "The request failed.",
    };

    /// <summary>The body: <c>{"error":{"code","message":"... request id: X","param","type"}}</c>.</summary>
    public byte[] ToJson(string requestId)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.Options))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("code", Code);
            writer.WriteString("message", $"{Message} request id: {requestId}");
            writer.WriteString("param", Param);
            writer.WriteString("type", TypeFor(Status));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
