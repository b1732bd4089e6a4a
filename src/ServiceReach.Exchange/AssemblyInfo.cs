namespace ServiceReach.Exchange;
