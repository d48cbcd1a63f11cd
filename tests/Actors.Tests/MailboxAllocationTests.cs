namespace ActorNet.Actors.Tests;

public class MailboxAllocationTests : TestKit.TestKit
{
    [Fact]
    public void Tell_SteadyState_AllocatesNothingOnTheSendingThread()
    {
        var counter = new Counter();
        var sink = Sys.ActorOf(Props.Create(() => new CountingSink(counter)));
        var message = new object();
        const int Batch = 500;
        void SendBatchAndWait()
        {
            var target = Volatile.Read(ref counter.Value) + Batch;
            for (var i = 0; i < Batch; i++)
            {
                sink.Tell(message, ActorRefs.NoSender);
            }

            SpinWait.SpinUntil(() => Volatile.Read(ref counter.Value) >= target, TimeSpan.FromSeconds(10)).ShouldBeTrue();
        }

        for (var i = 0; i < 20; i++)
        {
            SendBatchAndWait(); // warm up: queue segments and thread-pool queues reach their working size
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 40; i++)
        {
            SendBatchAndWait();
        }

        var perTell = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / (40 * Batch);
        perTell.ShouldBeLessThan(1.0, $"bytes allocated per Tell on the sender: {perTell:F2}");
    }

    private sealed class Counter
    {
        public int Value;
    }

    private sealed class CountingSink : UntypedActor
    {
        private readonly Counter _counter;

        public CountingSink(Counter counter) => _counter = counter;

        protected override void OnReceive(object message) => Interlocked.Increment(ref _counter.Value);
    }
}
