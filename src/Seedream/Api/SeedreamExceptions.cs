using System;

namespace Seedream.Api
{
    /// <summary>Base of every error the module raises on purpose; catch this to catch them all.</summary>
    public class SeedreamException : Exception
    {
        public SeedreamException(string message, Exception? inner = null)
            : base(message, inner)
        {
        }

        /// <summary>How many times the request was sent (0 when it never left).</summary>
        public int Attempts { get; set; }

        /// <summary>The provider's request id, when the answer carried one.</summary>
        public string? RequestId { get; set; }
    }

    /// <summary>The API answered with an error status and (usually) an error body.</summary>
    public sealed class SeedreamApiException : SeedreamException
    {
        public SeedreamApiException(string message, int statusCode, ApiError? error)
            : base(message)
        {
            StatusCode = statusCode;
            Error = error;
        }

        public int StatusCode { get; }
        public ApiError? Error { get; }
        public string? ErrorCode => Error?.Code;
    }

    /// <summary>The connection failed, dropped, or the answer could not be read.</summary>
    public sealed class SeedreamTransportException : SeedreamException
    {
        public SeedreamTransportException(string message, bool mayHaveBeenBilled, Exception? inner = null)
            : base(message, inner)
        {
            MayHaveBeenBilled = mayHaveBeenBilled;
        }

        /// <summary>True when the server had accepted the request before it failed: it may already be billed.</summary>
        public bool MayHaveBeenBilled { get; }
    }

    /// <summary>The request, or a stream, ran past its time-out.</summary>
    public sealed class SeedreamTimeoutException : SeedreamException
    {
        public SeedreamTimeoutException(string message, bool mayHaveBeenBilled)
            : base(message)
        {
            MayHaveBeenBilled = mayHaveBeenBilled;
        }

        public bool MayHaveBeenBilled { get; }
    }

    /// <summary>A streamed answer ended, or failed, before its completed event.</summary>
    public sealed class SeedreamStreamException : SeedreamException
    {
        public SeedreamStreamException(string message, int imagesReceived, ApiError? error = null, Exception? inner = null)
            : base(message, inner)
        {
            ImagesReceived = imagesReceived;
            Error = error;
        }

        public int ImagesReceived { get; }
        public ApiError? Error { get; }

        /// <summary>True when the stream went quiet for longer than the idle time-out.</summary>
        public bool IdleTimedOut { get; set; }
    }

    /// <summary>The API answered 200 but the body is not the JSON it should be. The request may already be billed.</summary>
    public sealed class SeedreamInvalidResponseException : SeedreamException
    {
        public SeedreamInvalidResponseException(string message, Exception? inner = null)
            : base(message, inner)
        {
        }

        public bool MayHaveBeenBilled => true;
    }

    /// <summary>Why a download of a hosted image failed.</summary>
    public enum DownloadFailure
    {
        /// <summary>The image host answered an error status.</summary>
        HttpError,

        /// <summary>403, 404 or 410: the signed link has most likely expired.</summary>
        NotFound,

        /// <summary>The image is larger than the download cap.</summary>
        TooLarge,

        /// <summary>Not an http(s) URL.</summary>
        UnsupportedScheme,
    }

    /// <summary>A hosted image could not be downloaded.</summary>
    public sealed class SeedreamDownloadException : SeedreamException
    {
        public SeedreamDownloadException(string message, DownloadFailure failure, int statusCode = 0)
            : base(message)
        {
            Failure = failure;
            StatusCode = statusCode;
        }

        public DownloadFailure Failure { get; }

        /// <summary>The image host's status, 0 when it did not answer one.</summary>
        public int StatusCode { get; }
    }

    /// <summary>Input that breaks a rule, found before any request was sent.</summary>
    public sealed class SeedreamValidationException : SeedreamException
    {
        public SeedreamValidationException(string parameterName, string message)
            : base(message)
        {
            ParameterName = parameterName;
        }

        public string ParameterName { get; }
    }
}
