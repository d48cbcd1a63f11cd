namespace ActorNet.Actors.Tests;

public class StashAndBecomeTests : TestKit.TestKit
{
    [Fact]
    public void UnstashAll_AfterOpen_ReplaysStashedMessagesInOrderBeforeNewOnes()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Gate()));
        for (var i = 0; i < 5; i++)
        {
            actor.Tell(i, TestActor);
        }

        actor.Tell("open", TestActor);
        actor.Tell(5, TestActor);
        ExpectMsg("opened");
        for (var i = 0; i <= 5; i++)
        {
            ExpectMsg(i);
        }
    }

    [Fact]
    public void Stash_AcrossRestart_StashedMessagesAreKept()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Gate()));
        actor.Tell(1, TestActor);
        actor.Tell(2, TestActor);
        actor.Tell("crash", TestActor); // restart: stash is unstashed back into the mailbox
        actor.Tell("open", TestActor);
        ExpectMsg("opened");
        ExpectMsg(1);
        ExpectMsg(2);
    }

    [Fact]
    public void BecomeStacked_ThenUnbecome_RestoresPreviousBehaviour()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Switch()));
        actor.Tell("state", TestActor);
        ExpectMsg("off");
        actor.Tell("push", TestActor);
        actor.Tell("state", TestActor);
        ExpectMsg("on");
        actor.Tell("pop", TestActor);
        actor.Tell("state", TestActor);
        ExpectMsg("off");
    }

    [Fact]
    public void Become_ReplaceThenUnbecome_FallsBackToInitialBehaviourLikeAkka()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Switch()));
        actor.Tell("push", TestActor);
        actor.Tell("replace", TestActor); // unhandled in "on": stays "on"
        actor.Tell("state", TestActor);
        ExpectMsg("on");
        actor.Tell("pop", TestActor);
        actor.Tell("replace", TestActor);
        actor.Tell("state", TestActor);
        ExpectMsg("replaced");
        actor.Tell("pop", TestActor); // Akka: unbecome below the top falls back to the initial receive
        actor.Tell("state", TestActor);
        ExpectMsg("off");
        actor.Tell("pop", TestActor); // popping the initial behaviour is a no-op
        actor.Tell("state", TestActor);
        ExpectMsg("off");
    }

    [Fact]
    public void UntypedActor_BecomeStacked_SwitchesAndReturns()
    {
        var actor = Sys.ActorOf(Props.Create(() => new UntypedToggle()));
        actor.Tell("x", TestActor);
        ExpectMsg("a:x");
        actor.Tell("toggle", TestActor);
        actor.Tell("x", TestActor);
        ExpectMsg("b:x");
        actor.Tell("toggle", TestActor);
        actor.Tell("x", TestActor);
        ExpectMsg("a:x");
    }

    [Fact]
    public void Unhandled_Message_PublishedAsUnhandledMessage()
    {
        Sys.EventStream.Subscribe<UnhandledMessage>(TestActor);
        var actor = Sys.ActorOf(Props.Create(() => new Switch()));
        actor.Tell(3.14, TestActor);
        ExpectMsg<UnhandledMessage>(u => u.Message is 3.14 && u.Recipient.Equals(actor));
    }

    private sealed class Gate : ReceiveActor, IWithStash
    {
        public Gate()
        {
            Receive<string>(_ => throw new InvalidOperationException("crash"), s => s == "crash");
            Receive<string>(
                _ =>
                {
                    Sender.Tell("opened", Self);
                    Stash.UnstashAll();
                    Become(() => Receive<int>(i => Sender.Tell(i, Self)));
                },
                s => s == "open");
            Receive<int>(_ => Stash.Stash());
        }

        public IStash Stash { get; set; } = null!;
    }

    private sealed class Switch : ReceiveActor
    {
        public Switch()
        {
            Receive<string>(_ => Sender.Tell("off", Self), s => s == "state");
            Receive<string>(_ => BecomeStacked(On), s => s == "push");
            Receive<string>(
                _ => Become(() =>
                {
                    Receive<string>(_ => Sender.Tell("replaced", Self), s => s == "state");
                    Receive<string>(_ => UnbecomeStacked(), s => s == "pop");
                }),
                s => s == "replace");
        }

        private void On()
        {
            Receive<string>(_ => Sender.Tell("on", Self), s => s == "state");
            Receive<string>(_ => UnbecomeStacked(), s => s == "pop");
        }
    }

    private sealed class UntypedToggle : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is "toggle")
            {
                BecomeStacked(m =>
                {
                    if (m is "toggle")
                    {
                        UnbecomeStacked();
                    }
                    else
                    {
                        Sender.Tell($"b:{m}", Self);
                    }
                });
            }
            else
            {
                Sender.Tell($"a:{message}", Self);
            }
        }
    }
}
