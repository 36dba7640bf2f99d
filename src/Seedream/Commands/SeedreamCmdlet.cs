using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace Seedream.Commands
{
    /// <summary>
    /// Base of every Seedream cmdlet. Work runs as tasks that honour one cancellation token (StopProcessing trips it);
    /// what they produce is queued and written by the pipeline thread only. Objects and errors come out in input
    /// order, one work item after another, while up to <see cref="ThrottleLimitValue"/> items run at once (and at
    /// most twice that many wait with finished output); verbose, debug and warning lines are written as soon as
    /// they are said. A terminating error first lets the work already started finish and writes its output, since
    /// those requests are already sent and may be billed.
    /// </summary>
    public abstract class SeedreamCmdlet : PSCmdlet, IDisposable
    {
        private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Queue<WorkItem> _pending = new Queue<WorkItem>();
        private readonly ConcurrentQueue<Action<Cmdlet>> _messages = new ConcurrentQueue<Action<Cmdlet>>();
        private readonly SemaphoreSlim _signal = new SemaphoreSlim(0);
        private int _running;
        private bool _disposed;
        private ErrorRecord? _stopError;
        private ActionPreferenceStopException? _preferenceStop;
        private ErrorRecord? _heldError;
        private bool? _errorsStop;
        private bool _stopNoted;

        /// <summary>How many work items may run at once; derived cmdlets set it from -ThrottleLimit.</summary>
        protected virtual int ThrottleLimitValue => 1;

        /// <summary>How many work items have finished (for progress).</summary>
        protected int CompletedItems { get; private set; }

        /// <summary>How many work items have been started (for progress).</summary>
        protected int StartedItems { get; private set; }

        protected int RunningItems => Volatile.Read(ref _running);

        /// <summary>The progress bar's timing, percentage floor and retry-wait note (see <see cref="ProgressReport"/>).</summary>
        private protected ProgressReport Progress { get; } = new ProgressReport();

        protected override void StopProcessing() => _stop.Cancel();

        protected override void EndProcessing()
        {
            Drain(untilRunningBelow: null);
            OnAllWorkDone();
        }

        /// <summary>Called on the pipeline thread after the last item is drained (complete progress here).</summary>
        protected virtual void OnAllWorkDone()
        {
        }

        /// <summary>Called on the pipeline thread at most every quarter second while work runs; write one progress record.</summary>
        protected virtual void OnProgressTick()
        {
        }

        /// <summary>Writes a progress record now if none was written in the last quarter second (call it as work starts).</summary>
        protected void RequestProgress()
        {
            if (Progress.TryStartWrite())
            {
                OnProgressTick();
            }
        }

        /// <summary>
        /// Called on the pipeline thread once, just before the command stops with a terminating error (a batch-stopping
        /// failure, or a non-terminating error made terminating by -ErrorAction Stop), after everything already paid
        /// for was written. Not called on Ctrl+C.
        /// </summary>
        protected virtual void OnStopping()
        {
        }

        /// <summary>Stops the command with <paramref name="record"/> once the work already started has finished and been written.</summary>
        protected void StopWithError(ErrorRecord record)
        {
            _stopError ??= record;
            Drain(untilRunningBelow: null);
            NoteStopping();
            ThrowTerminatingError(_stopError);
        }

        /// <summary>
        /// A non-terminating error for one input item, written in input order (after the output of the items before it),
        /// as a work item that sends nothing. The batch goes on; -ErrorAction Stop makes it terminating once the work
        /// already started has been written.
        /// </summary>
        protected void WriteItemError(ErrorRecord record)
        {
            if (ErrorsStop)
            {
                // Known before its item started: under Stop nothing after it may start. Held now, it is written (and
                // stops the command) once the items before it are written.
                EmitError(record);
                Drain(untilRunningBelow: null);
                return;
            }

            WriteInOrder(sink => sink.WriteError(record), record.TargetObject);
        }

        /// <summary>Writes what <paramref name="produce"/> says, in input order, as a work item that needs no task (recorded results, item errors).</summary>
        protected void WriteInOrder(Action<WorkSink> produce, object? target)
        {
            var item = new WorkItem(this, target);
            produce(item.Sink);
            item.Task = Task.CompletedTask;
            _pending.Enqueue(item);
            Drain(untilRunningBelow: Math.Max(1, ThrottleLimitValue));
        }

        private void NoteStopping()
        {
            if (!_stopNoted)
            {
                _stopNoted = true;
                OnStopping();
            }
        }

        /// <summary>
        /// Starts a work item; returns once fewer than the throttle limit are running. <paramref name="modelPerItem"/>: the
        /// item names its own model (from the pipeline), so a model the server does not know fails that item alone.
        /// </summary>
        protected void StartWork(Func<WorkSink, CancellationToken, Task> work, object? target, bool modelPerItem = false)
        {
            var item = new WorkItem(this, target) { ModelPerItem = modelPerItem };
            Interlocked.Increment(ref _running);
            StartedItems++;
            item.Task = Task.Run(() => work(item.Sink, _stop.Token));

            // The pump is woken (and the progress count lowered) only once the task is complete, so when it wakes it
            // can see how the item ended: a batch-stopping failure must be seen before the next item starts.
            item.Task.ContinueWith(
                _ =>
                {
                    Interlocked.Decrement(ref _running);
                    _signal.Release();
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            _pending.Enqueue(item);
            Drain(untilRunningBelow: Math.Max(1, ThrottleLimitValue));
        }

        private void Drain(int? untilRunningBelow)
        {
            while (true)
            {
                WriteMessages();
                while (_pending.Count > 0)
                {
                    WorkItem head = _pending.Peek();
                    WriteGuarded(() => head.WriteQueued(this));
                    if (!head.Task!.IsCompleted)
                    {
                        break;
                    }

                    WriteGuarded(() => head.WriteQueued(this));
                    _pending.Dequeue();
                    CompletedItems++;
                    if (head.Task.IsFaulted && !head.StoppedTheBatch)
                    {
                        WriteGuarded(() => ReportFailure(head.Task.Exception!.GetBaseException(), head.Target, head.ModelPerItem));
                    }
                }

                if (_stop.IsCancellationRequested)
                {
                    WaitForCleanup();
                    throw new PipelineStoppedException();
                }

                if (_stopError != null && _pending.Count == 0)
                {
                    NoteStopping();
                    ThrowTerminatingError(_stopError);
                }

                if (_heldError != null && _pending.Count == 0)
                {
                    // -ErrorAction Stop: the first error, written once everything already paid for is out (it throws).
                    NoteStopping();
                    WriteError(_heldError);
                }

                if (_preferenceStop != null && _pending.Count == 0)
                {
                    NoteStopping();
                    throw _preferenceStop;
                }

                // The running count is taken before the head is looked at: if the head finishes in between, it is
                // still counted as running, so the loop waits and writes it (and learns how it ended) before deciding.
                int running = _pending.Count(item => !item.Task!.IsCompleted);
                if (_pending.Count > 0 && _pending.Peek().Task!.IsCompleted)
                {
                    continue;
                }

                // A batch-stopping failure behind a head still running is acted on now, not once it reaches the head:
                // otherwise every slot it frees starts another request that would fail the same way. Looked for after
                // the running count, so an item counted as finished is seen here too.
                if (_stopError is null && _preferenceStop is null && _heldError is null)
                {
                    NoteEarlyBatchStop();
                }

                bool done = untilRunningBelow is int limit && _stopError is null && _preferenceStop is null && _heldError is null
                    ? running < limit && _pending.Count < limit * 2
                    : _pending.Count == 0;
                if (done)
                {
                    WriteMessages();
                    return;
                }

                RequestProgress();
                try
                {
                    _signal.Wait(ProgressReport.Interval, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    // Loop once more: writes what is queued, then stops.
                }
            }
        }

        /// <summary>Gives cancelled work a moment to delete its temporary files before the pipeline stops.</summary>
        private void WaitForCleanup()
        {
            var tasks = new List<Task>();
            foreach (WorkItem item in _pending)
            {
                tasks.Add(item.Task!);
            }

            try
            {
                Task.WaitAll(tasks.ToArray(), StopGrace);
            }
            catch (AggregateException)
            {
                // Cancelled work ends in exceptions; they are not news once the user pressed Ctrl+C.
            }
        }

        /// <summary>
        /// Runs writes to the pipeline. Under -ErrorAction Stop a WriteError throws: the first such error is kept and thrown
        /// once every item already started has been written (those requests are sent and may be billed), and no new item
        /// starts; later errors are not written.
        /// </summary>
        private void WriteGuarded(Action write)
        {
            try
            {
                write();
            }
            catch (ActionPreferenceStopException ex)
            {
                if (_preferenceStop is null && _stopError is null)
                {
                    _preferenceStop = ex;
                    int waiting = _pending.Count(item => !item.Task!.IsCompleted);
                    if (waiting > 0)
                    {
                        WriteVerbose($"Stopping (-ErrorAction Stop): no further request is sent; waiting for the {waiting} already sent.");
                    }
                }
            }
        }

        private void ReportFailure(Exception exception, object? target, bool modelPerItem)
        {
            if (exception is OperationCanceledException && _stop.IsCancellationRequested)
            {
                return;
            }

            ErrorRecord record = SeedreamErrors.FromException(exception, target);
            if (SeedreamErrors.StopsTheBatch(exception, modelPerItem) && _stopError is null)
            {
                // Every further item would fail the same way: stop, once the work already sent is written.
                StopTheBatch(record);
                return;
            }

            EmitError(record);
        }

        /// <summary>
        /// Writes a non-terminating error. Under -ErrorAction Stop (where WriteError would end the command at once and the
        /// answers already sent, maybe billed, would never be written) the first error is held: no new item starts, the
        /// items already started are written, and then the error is written, which stops the command as Stop asks.
        /// </summary>
        private void EmitError(ErrorRecord record)
        {
            if (!ErrorsStop)
            {
                WriteError(record);
                return;
            }

            if (_heldError is null && _stopError is null)
            {
                _heldError = record;
                int waiting = _pending.Count(item => !item.Task!.IsCompleted);
                if (waiting > 0)
                {
                    WriteVerbose($"Stopping (-ErrorAction Stop) after: {record.Exception.Message} No further request is sent; waiting for the {waiting} already sent.");
                }
            }
        }

        private bool ErrorsStop => _errorsStop ??=
            LanguagePrimitives.TryConvertTo(
                MyInvocation.BoundParameters.TryGetValue("ErrorAction", out object? action) ? action : GetVariableValue("ErrorActionPreference"),
                out ActionPreference preference) && preference == ActionPreference.Stop;

        private void NoteEarlyBatchStop()
        {
            foreach (WorkItem item in _pending)
            {
                if (item.Task!.IsFaulted && SeedreamErrors.StopsTheBatch(item.Task.Exception!.GetBaseException(), item.ModelPerItem))
                {
                    item.StoppedTheBatch = true;
                    StopTheBatch(SeedreamErrors.FromException(item.Task.Exception.GetBaseException(), item.Target));
                    return;
                }
            }
        }

        private void StopTheBatch(ErrorRecord record)
        {
            _stopError = record;
            int waiting = _pending.Count(item => !item.Task!.IsCompleted);
            WriteVerbose($"Stopping: {record.Exception.Message} No further request is sent; waiting for the {waiting} already sent.");
        }

        private void WriteMessages()
        {
            while (_messages.TryDequeue(out Action<Cmdlet>? write))
            {
                write(this);
            }
        }

        /// <summary>
        /// Cancels work still running (after a terminating error or a stop) and gives it a moment to clean up. The token
        /// source and semaphore are not disposed: running tasks may still touch them, and neither holds unmanaged state.
        /// </summary>
        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                _stop.Cancel();
                WaitForCleanup();
            }

            GC.SuppressFinalize(this);
        }

        /// <summary>What a work item may say. Safe from any thread; nothing is written until the pipeline thread drains it.</summary>
        protected sealed class WorkSink
        {
            private readonly SeedreamCmdlet _owner;
            private readonly ConcurrentQueue<Action<Cmdlet>> _ordered;

            internal WorkSink(SeedreamCmdlet owner, ConcurrentQueue<Action<Cmdlet>> ordered)
            {
                _owner = owner;
                _ordered = ordered;
            }

            public void WriteObject(object value) => PostOrdered(c => c.WriteObject(value));

            /// <summary>Writes what <paramref name="produce"/> makes on the pipeline thread, for objects that need the session (provider items).</summary>
            public void WriteObject(Func<PSCmdlet, object> produce) => PostOrdered(c => c.WriteObject(produce((PSCmdlet)c)));

            public void WriteError(ErrorRecord record) => PostOrdered(c => ((SeedreamCmdlet)c).EmitError(record));

            public void WriteVerbose(string text) => PostNow(c => c.WriteVerbose(text));

            public void WriteDebug(string text) => PostNow(c => c.WriteDebug(text));

            public void WriteWarning(string text) => PostNow(c => c.WriteWarning(text));

            private void PostOrdered(Action<Cmdlet> write)
            {
                _ordered.Enqueue(write);
                _owner._signal.Release();
            }

            private void PostNow(Action<Cmdlet> write)
            {
                _owner._messages.Enqueue(write);
                _owner._signal.Release();
            }
        }

        private sealed class WorkItem
        {
            private readonly ConcurrentQueue<Action<Cmdlet>> _ordered = new ConcurrentQueue<Action<Cmdlet>>();

            public WorkItem(SeedreamCmdlet owner, object? target)
            {
                Target = target;
                Sink = new WorkSink(owner, _ordered);
            }

            public object? Target { get; }
            public WorkSink Sink { get; }
            public Task? Task { get; set; }

            /// <summary>Its failure is already the command's stop error (seen before it reached the head).</summary>
            public bool StoppedTheBatch { get; set; }

            /// <summary>The item's model came from the pipeline: an unknown model (404) fails this item, not the batch.</summary>
            public bool ModelPerItem { get; set; }

            /// <summary>Writes what is queued; when -ErrorAction Stop makes an error throw, the rest is still written and the first such exception thrown after.</summary>
            public void WriteQueued(Cmdlet cmdlet)
            {
                ActionPreferenceStopException? stop = null;
                while (_ordered.TryDequeue(out Action<Cmdlet>? write))
                {
                    try
                    {
                        write(cmdlet);
                    }
                    catch (ActionPreferenceStopException ex)
                    {
                        stop ??= ex;
                    }
                }

                if (stop != null)
                {
                    throw stop;
                }
            }
        }
    }
}
