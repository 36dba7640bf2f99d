using System;
using System.IO;
using System.Management.Automation;
using Seedream.Api;

namespace Seedream.Commands
{
    /// <summary>Turns the module's exceptions into ErrorRecords with stable ErrorIds and fitting categories.</summary>
    internal static class SeedreamErrors
    {
        public const string InvalidParameter = "Seedream.InvalidParameter";
        public const string NoApiKey = "Seedream.NoApiKey";
        public const string InsecureBaseUri = "Seedream.InsecureBaseUri";
        public const string InvalidImage = "Seedream.InvalidImage";
        public const string ImageFailed = "Seedream.ImageFailed";
        public const string FileExists = "Seedream.FileExists";
        public const string WriteFailed = "Seedream.WriteFailed";
        public const string UrlExpired = "Seedream.UrlExpired";

        public const string InvalidCatalog = "Seedream.InvalidCatalog";

        /// <summary>A catalog file that cannot be used: the message names the file, the entry and the field.</summary>
        public static ErrorRecord CatalogRecord(Catalog.CatalogException exception, string? parameterName = null) =>
            Record(parameterName is null ? (Exception)exception : new SeedreamValidationException(parameterName, $"Parameter -{parameterName}: {exception.Message}"),
                InvalidCatalog, ErrorCategory.InvalidData, exception.File);

        public static ErrorRecord InvalidParameterRecord(string parameterName, string rule, object? target) =>
            Record(new SeedreamValidationException(parameterName, $"Parameter -{parameterName}: {rule}"), InvalidParameter, ErrorCategory.InvalidArgument, target);

        public static ErrorRecord Record(Exception exception, string errorId, ErrorCategory category, object? target) =>
            new ErrorRecord(exception, errorId, category, target);

        /// <summary>A failed slot of an answer: the other images of the request go on.</summary>
        public static ErrorRecord ImageFailure(ApiError error, int index, string prompt, string? requestId)
        {
            string id = requestId is null || error.Message.IndexOf(requestId, StringComparison.Ordinal) >= 0 ? "" : $" (request id {requestId})";
            var exception = new SeedreamApiException($"Image {index} failed: {error.Code}: {error.Message}{id}", 200, error) { RequestId = requestId };
            bool filtered = error.Code.IndexOf("SensitiveContent", StringComparison.OrdinalIgnoreCase) >= 0;
            return new ErrorRecord(exception, filtered ? "Seedream.ContentFiltered" : ImageFailed,
                filtered ? ErrorCategory.PermissionDenied : ErrorCategory.InvalidResult,
                new ImageFailureTarget(prompt, index));
        }

        public static ErrorRecord FromException(Exception exception, object? target)
        {
            switch (exception)
            {
                case Catalog.CatalogException catalog:
                    return CatalogRecord(catalog);
                case SeedreamValidationException:
                    return Record(exception, InvalidParameter, ErrorCategory.InvalidArgument, target);
                case SeedreamApiException api:
                    (string id, ErrorCategory category) = Classify(api.StatusCode, api.ErrorCode);
                    return Record(exception, id, category, target);
                case SeedreamStreamException stream:
                    return Record(exception, StreamErrorId(stream), StreamCategory(stream), target);
                case SeedreamTimeoutException:
                    return Record(exception, "Seedream.Timeout", ErrorCategory.OperationTimeout, target);
                case SeedreamTransportException transport:
                    return Record(exception, transport.MayHaveBeenBilled ? "Seedream.ResponseBroken" : "Seedream.ConnectionFailed",
                        ErrorCategory.ConnectionError, target);
                case SeedreamInvalidResponseException:
                    return Record(exception, "Seedream.InvalidResponse", ErrorCategory.InvalidData, target);
                case SeedreamDownloadException download:
                    return download.Failure switch
                    {
                        DownloadFailure.NotFound => Record(exception, UrlExpired, ErrorCategory.ResourceUnavailable, target),
                        DownloadFailure.TooLarge => Record(exception, "Seedream.DownloadTooLarge", ErrorCategory.LimitsExceeded, target),
                        DownloadFailure.UnsupportedScheme => Record(exception, "Seedream.UnsupportedUrl", ErrorCategory.SecurityError, target),
                        _ => Record(exception, "Seedream.DownloadFailed", ErrorCategory.ResourceUnavailable, target),
                    };
                case UnauthorizedAccessException:
                case IOException:
                    return Record(exception, WriteFailed, ErrorCategory.WriteError, target);
                case InvalidDataException:
                    return Record(exception, InvalidImage, ErrorCategory.InvalidData, target);
                case SeedreamException:
                    return Record(exception, "Seedream.Failed", ErrorCategory.InvalidOperation, target);
                default:
                    return Record(exception, "Seedream.Unexpected", ErrorCategory.NotSpecified, target);
            }
        }

        private static string StreamErrorId(SeedreamStreamException stream)
        {
            if (stream.IdleTimedOut)
            {
                return "Seedream.StreamIdleTimeout";
            }

            if (stream.Error is null)
            {
                return "Seedream.StreamIncomplete";
            }

            (string id, _) = Classify(0, stream.Error.Code);
            return id == "Seedream.ApiError" ? "Seedream.StreamError" : id;
        }

        private static ErrorCategory StreamCategory(SeedreamStreamException stream)
        {
            if (stream.IdleTimedOut)
            {
                return ErrorCategory.OperationTimeout;
            }

            if (stream.Error is null)
            {
                return ErrorCategory.ReadError;
            }

            (string id, ErrorCategory category) = Classify(0, stream.Error.Code);
            return id == "Seedream.ApiError" ? ErrorCategory.InvalidResult : category;
        }

        /// <summary>
        /// Failures that every further item would hit too (wrong key, no access, quota gone, and an unknown model when the
        /// whole call names it): stop the batch. A 404 for a model one pipeline item named is that item's failure alone.
        /// </summary>
        public static bool StopsTheBatch(Exception exception, bool modelPerItem = false) =>
            exception is SeedreamApiException { StatusCode: 401 or 403 } ||
            (!modelPerItem && exception is SeedreamApiException { StatusCode: 404 }) ||
            exception is SeedreamApiException { ErrorCode: "QuotaExceeded" or "SetLimitExceeded" or "AccountOverdueError" };

        private static (string, ErrorCategory) Classify(int status, string? code)
        {
            code ??= "";
            if (code.IndexOf("SensitiveContent", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return ("Seedream.ContentFiltered", ErrorCategory.PermissionDenied);
            }

            if (code is "QuotaExceeded" or "SetLimitExceeded" or "AccountOverdueError")
            {
                return ("Seedream.QuotaExceeded", ErrorCategory.QuotaExceeded);
            }

            return status switch
            {
                400 => (InvalidParameter, ErrorCategory.InvalidArgument),
                401 => ("Seedream.Authentication", ErrorCategory.AuthenticationError),
                403 => ("Seedream.AccessDenied", ErrorCategory.PermissionDenied),
                404 => ("Seedream.ModelNotFound", ErrorCategory.ObjectNotFound),
                408 => ("Seedream.Timeout", ErrorCategory.OperationTimeout),
                429 => ("Seedream.RateLimited", ErrorCategory.LimitsExceeded),
                >= 500 => ("Seedream.ServerError", ErrorCategory.ResourceUnavailable),
                _ => ("Seedream.ApiError", ErrorCategory.InvalidOperation),
            };
        }
    }

    /// <summary>The target object of a failed image: which prompt, which slot.</summary>
    public sealed class ImageFailureTarget
    {
        public ImageFailureTarget(string prompt, int index)
        {
            Prompt = prompt;
            Index = index;
        }

        public string Prompt { get; }
        public int Index { get; }
        public override string ToString() => $"image {Index} of '{Prompt}'";
    }
}
