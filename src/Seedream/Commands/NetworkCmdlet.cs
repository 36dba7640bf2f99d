using System;
using System.Collections;
using System.Management.Automation;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Seedream.Api;

namespace Seedream.Commands
{
    /// <summary>Parameters of every cmdlet that goes over the network: retries, time-outs and proxy.</summary>
    public abstract class NetworkCmdlet : SeedreamCmdlet
    {
        /// <summary>Retries after a transient failure (408, 409, 429, 5xx, no connection). 0 turns retries off.</summary>
        [Parameter]
        [ValidateRange(0, 10)]
        public int MaxRetryCount { get; set; } = 2;

        /// <summary>Bounds the whole call, retries included.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = 600;

        /// <summary>Bounds making a connection (PowerShell 7; Windows PowerShell counts it in -TimeoutSec).</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int ConnectTimeoutSec { get; set; } = 30;

        [Parameter]
        public Uri? Proxy { get; set; }

        [Parameter]
        [Credential]
        public PSCredential? ProxyCredential { get; set; }

        [Parameter]
        public SwitchParameter ProxyUseDefaultCredentials { get; set; }

        protected override void BeginProcessing()
        {
            if (ProxyCredential != null && Proxy is null)
            {
                ThrowTerminatingError(SeedreamErrors.InvalidParameterRecord(nameof(ProxyCredential), "needs -Proxy: say which proxy the credential is for.", ProxyCredential.UserName));
            }

            if (ProxyCredential != null && ProxyUseDefaultCredentials.IsPresent)
            {
                ThrowTerminatingError(SeedreamErrors.InvalidParameterRecord(nameof(ProxyUseDefaultCredentials), "cannot be used together with -ProxyCredential.", null));
            }

            _userAgent ??= BuildUserAgent();
            base.BeginProcessing();
        }

        /// <summary>The same for every call in the process: made once, on the pipeline thread (it reads $PSVersionTable).</summary>
        private static string? _userAgent;

        protected ConnectionSettings ConnectionSettings => new ConnectionSettings
        {
            Proxy = Proxy,
            ProxyCredential = ProxyCredential?.GetNetworkCredential(),
            ProxyUseDefaultCredentials = ProxyUseDefaultCredentials.IsPresent,
            ConnectTimeout = TimeSpan.FromSeconds(ConnectTimeoutSec),
            UserAgent = _userAgent,
            InProcessHandler = InProcessHandler,
        };

        /// <summary>A handler that answers in process instead of the network (the simulator, for -Provider Simulator); null: the network.</summary>
        protected virtual System.Net.Http.HttpMessageHandler? InProcessHandler => null;

        /// <summary>"Seedream-PowerShell/0.1.0 (PowerShell Core 7.4.6; Microsoft Windows 10.0.22631)", as the providers' SDKs name themselves.</summary>
        private string BuildUserAgent()
        {
            Version? version = MyInvocation.MyCommand.Module?.Version ?? typeof(NetworkCmdlet).Assembly.GetName().Version;
            var table = SessionState.PSVariable.GetValue("PSVersionTable") as IDictionary;
            string edition = table?["PSEdition"]?.ToString() ?? "Desktop";
            string powerShell = table?["PSVersion"]?.ToString() ?? "";
            string os = Regex.Replace(RuntimeInformation.OSDescription.Replace('(', ' ').Replace(')', ' ').Replace(';', ','), @"\s+", " ").Trim();
            return $"Seedream-PowerShell/{version?.ToString(3) ?? "0.0.0"} (PowerShell {edition} {powerShell}; {os})";
        }

        protected RetryPolicy RetryPolicy => new RetryPolicy(MaxRetryCount);

        /// <summary>
        /// A retry is news for -Verbose, not a warning: it is expected and usually recovers. The wait also shows in the
        /// progress bar ("waiting 30 s: rate limited") while it lasts.
        /// </summary>
        protected Action<RetryNotice> VerboseRetry(WorkSink sink, string what) => notice =>
        {
            Progress.NoteWait(notice.Delay, ProgressReport.ShortReason(notice.Reason));
            sink.WriteVerbose($"{what}: attempt {notice.Attempt} of {notice.MaxAttempts} failed ({notice.Reason}); retrying in {notice.Delay.TotalSeconds:0.##} s.");
        };
    }
}
