require 'json'
require_relative 'base'

module Shop
  # An order.
  class Order < Base
    attr_reader :items

    def initialize(items)
      @items = items
    end

    def self.load(path)
      new(JSON.parse(File.read(path)))
    end
  end
end
