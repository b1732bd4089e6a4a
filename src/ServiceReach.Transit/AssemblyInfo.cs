namespace ServiceReach.Transit;
